/** Order ids for orders created through the API: their own range of the index space (domain/ids.ts). */
export default `
CREATE SEQUENCE orderstream.api_order_index AS integer START 90000000 MINVALUE 90000000 MAXVALUE 99999999 NO CYCLE;
`;
