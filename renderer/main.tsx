import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { chooseApi } from './api';
import { createStores } from './stores';
import { connectEvents } from './stores/events';
import { WiringContext } from './stores/context';
import './styles.css';

const api = chooseApi();
const stores = createStores(api);
// Before the first render: the page's first requests must not miss what main tells after them.
connectEvents(stores, api);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <WiringContext value={{ api, stores }}>
      <App />
    </WiringContext>
  </StrictMode>,
);
