import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.ORDERSTREAM_API ?? 'http://127.0.0.1:3001';

// The app lives in web/; it imports the contract's types (and a few constants) from ../src/domain.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600, reportCompressedSize: false },
  server: {
    // `npx vite web` during development: the API on its usual port.
    proxy: { '/api': api, '/stream': { target: api, ws: true }, '/health': api, '/metrics': api },
  },
});
