/** orderstream's version, as package.json says (the CLI, the OpenAPI and AsyncAPI documents show it). */
export const VERSION = '0.2.0';
