import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { stream } from './lib/stream.js';
import { marketReady } from './lib/market.js';
import './styles.css';

stream.start();
const root = createRoot(document.getElementById('root')!);
const render = () =>
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
render();
// Times switch to the market's zone once the server has said which market it is.
void marketReady.then(render);
