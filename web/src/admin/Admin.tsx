/** spec 001's admin dashboard: orders, inventory, analytics, demo and simulation controls. */
import { NavLink, Route, Routes } from 'react-router';
import { Analytics } from './Analytics.js';
import { Controls } from './Controls.js';
import { Inventory } from './Inventory.js';
import { Orders } from './Orders.js';

export default function Admin() {
  return (
    <>
      <h1>Admin</h1>
      <nav className="tabs" aria-label="Admin sections">
        <NavLink to="/admin" end>
          Orders
        </NavLink>
        <NavLink to="/admin/inventory">Inventory Management</NavLink>
        <NavLink to="/admin/analytics">Analytics</NavLink>
        <NavLink to="/admin/controls">Controls</NavLink>
      </nav>
      <Routes>
        <Route index element={<Orders />} />
        <Route path="inventory" element={<Inventory />} />
        <Route path="analytics" element={<Analytics />} />
        <Route path="controls" element={<Controls />} />
      </Routes>
    </>
  );
}
