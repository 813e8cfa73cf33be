import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Loading } from './components/Loading';
import { useSession } from './lib/session';
import { AppLayout } from './components/AppLayout';

// Each page is its own chunk: the sign-in page does not download the editor.
const Login = lazy(() => import('./pages/Login'));
const ChangePassword = lazy(() => import('./pages/ChangePassword'));
const Workbench = lazy(() => import('./pages/Workbench'));
const Manuscripts = lazy(() => import('./pages/Manuscripts'));
const ManuscriptEditor = lazy(() => import('./pages/ManuscriptEditor'));
const ManuscriptView = lazy(() => import('./pages/ManuscriptView'));
const Preview = lazy(() => import('./pages/Preview'));
const Review = lazy(() => import('./pages/Review'));
const PublicationView = lazy(() => import('./pages/PublicationView'));
const Matrix = lazy(() => import('./pages/Matrix'));
const AccountDetail = lazy(() => import('./pages/AccountDetail'));
const Units = lazy(() => import('./pages/Units'));
const Users = lazy(() => import('./pages/Users'));
const Audit = lazy(() => import('./pages/Audit'));

function Guard({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  const loc = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/login" replace state={{ from: loc.pathname + loc.search }} />;
  if (me.mustChangePassword && loc.pathname !== '/password') return <Navigate to="/password" replace />;
  return <>{children}</>;
}

export function AppRoutes() {
  const loc = useLocation();
  // Single sign-on lands at `/#ticket=…`: the sign-in page trades it for tokens.
  if (loc.hash.startsWith('#ticket=') && loc.pathname !== '/login') return <Navigate to={`/login${loc.hash}`} replace />;
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/login" element={<Login />} />
        <Route
          element={
            <Guard>
              <AppLayout />
            </Guard>
          }
        >
          <Route path="/" element={<Workbench />} />
          <Route path="/password" element={<ChangePassword />} />
          <Route path="/manuscripts" element={<Manuscripts />} />
          <Route path="/manuscripts/new" element={<ManuscriptEditor />} />
          <Route path="/manuscripts/:id" element={<ManuscriptView />} />
          <Route path="/manuscripts/:id/edit" element={<ManuscriptEditor />} />
          <Route path="/manuscripts/:id/preview" element={<Preview />} />
          <Route path="/manuscripts/:id/review" element={<Review />} />
          <Route path="/publications/:id" element={<PublicationView />} />
          <Route path="/accounts" element={<Matrix />} />
          <Route path="/accounts/:id" element={<AccountDetail />} />
          <Route path="/admin/units" element={<Units />} />
          <Route path="/admin/users" element={<Users />} />
          <Route path="/audit" element={<Audit />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
