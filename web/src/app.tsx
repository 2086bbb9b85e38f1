import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Layout } from './layout/Layout.js';
import { Skeleton } from './components/States.js';

const Monitoring = lazy(() => import('./monitoring/Monitoring.js'));
const Shop = lazy(() => import('./shop/Shop.js'));
const Admin = lazy(() => import('./admin/Admin.js'));
const Dashboard = lazy(() => import('./dashboard/Dashboard.js'));
const Generator = lazy(() => import('./generator/Generator.js'));
const Events = lazy(() => import('./events/Events.js'));

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Navigate to="/monitoring" replace />} />
          <Route path="monitoring" element={<Lazy view={<Monitoring />} />} />
          <Route path="shop/*" element={<Lazy view={<Shop />} />} />
          <Route path="admin/*" element={<Lazy view={<Admin />} />} />
          <Route path="dashboard" element={<Lazy view={<Dashboard />} />} />
          <Route path="generator" element={<Lazy view={<Generator />} />} />
          <Route path="events" element={<Lazy view={<Events />} />} />
          <Route path="*" element={<p className="empty">No such page. Pick a view above.</p>} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}

function Lazy({ view }: { view: React.ReactNode }) {
  return <Suspense fallback={<Skeleton lines={6} />}>{view}</Suspense>;
}
