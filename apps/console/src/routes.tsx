import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Loading } from './components/Loading';
import { useSession } from './lib/session';
import { AppLayout } from './components/AppLayout';
import { AntdHost } from './components/AntdHost';
// The workbench is the first page of nearly every visit: part of the entry, so index.html preloads
// its modules with the rest (lazily it was a second wave of ~25 requests after the first had run).
import Workbench from './pages/Workbench';

// Each page is its own chunk: the sign-in page does not download the editor.
const Login = lazy(() => import('./pages/Login'));
const ChangePassword = lazy(() => import('./pages/ChangePassword'));
const Manuscripts = lazy(() => import('./pages/Manuscripts'));
const ManuscriptEditor = lazy(() => import('./pages/ManuscriptEditor'));
const ManuscriptView = lazy(() => import('./pages/ManuscriptView'));
const Preview = lazy(() => import('./pages/Preview'));
const Review = lazy(() => import('./pages/Review'));
const PublicationView = lazy(() => import('./pages/PublicationView'));
const Publications = lazy(() => import('./pages/Publications'));
const Calendar = lazy(() => import('./pages/Calendar'));
const Matrix = lazy(() => import('./pages/Matrix'));
const AccountDetail = lazy(() => import('./pages/AccountDetail'));
const Units = lazy(() => import('./pages/Units'));
const Users = lazy(() => import('./pages/Users'));
const UserDetail = lazy(() => import('./pages/UserDetail'));
const AccountNew = lazy(() => import('./pages/AccountNew'));
const ApiKeys = lazy(() => import('./pages/ApiKeys'));
const NotificationChannels = lazy(() => import('./pages/NotificationChannels'));
const Security = lazy(() => import('./pages/Security'));
const Audit = lazy(() => import('./pages/Audit'));
const Campaigns = lazy(() => import('./pages/Campaigns'));
const CampaignNew = lazy(() => import('./pages/CampaignNew'));
const CampaignDashboard = lazy(() => import('./pages/CampaignDashboard'));
const AssignmentDetail = lazy(() => import('./pages/AssignmentDetail'));
const CampaignTrustSettings = lazy(() => import('./pages/CampaignTrustSettings'));
const QaLibrary = lazy(() => import('./pages/QaLibrary'));
const QaEditor = lazy(() => import('./pages/QaEditor'));
const QaView = lazy(() => import('./pages/QaView'));
const QaGaps = lazy(() => import('./pages/QaGaps'));
const QaSynonyms = lazy(() => import('./pages/QaSynonyms'));
const QaCategories = lazy(() => import('./pages/QaCategories'));
const QaPolicies = lazy(() => import('./pages/QaPolicies'));
const MediaLibrary = lazy(() => import('./pages/MediaLibrary'));
const Notifications = lazy(() => import('./pages/Notifications'));
const Alerts = lazy(() => import('./pages/Alerts'));
const Inbox = lazy(() => import('./pages/Inbox'));
const InboxThread = lazy(() => import('./pages/InboxThread'));
const InboxMetrics = lazy(() => import('./pages/InboxMetrics'));
const Monitoring = lazy(() => import('./pages/Monitoring'));
const MonitoringAccount = lazy(() => import('./pages/MonitoringAccount'));
const Duty = lazy(() => import('./pages/Duty'));
const DutySchedule = lazy(() => import('./pages/DutySchedule'));
const DutyLog = lazy(() => import('./pages/DutyLog'));
const SpotChecks = lazy(() => import('./pages/SpotChecks'));
const SpotCheckRound = lazy(() => import('./pages/SpotCheckRound'));
const Rectifications = lazy(() => import('./pages/Rectifications'));
const Rankings = lazy(() => import('./pages/Rankings'));

function Guard({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  const loc = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/login" replace state={{ from: loc.pathname + loc.search }} />;
  if (me.mustChangePassword && loc.pathname !== '/password') return <Navigate to="/password" replace />;
  // A role that requires a second factor: nothing else until it is enrolled.
  if (me.restriction === 'mfa_enrollment' && loc.pathname !== '/security') return <Navigate to="/security" replace />;
  return <>{children}</>;
}

export function AppRoutes() {
  const loc = useLocation();
  // Single sign-on lands at `/#ticket=…`: the sign-in page trades it for tokens.
  if (loc.hash.startsWith('#ticket=') && loc.pathname !== '/login') return <Navigate to={`/login${loc.hash}`} replace />;
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route
          path="/login"
          element={
            <AntdHost needsAntd>
              <Login />
            </AntdHost>
          }
        />
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
          <Route path="/publications" element={<Publications />} />
          <Route path="/publications/:id" element={<PublicationView />} />
          <Route path="/calendar" element={<Calendar />} />
          <Route path="/accounts" element={<Matrix />} />
          <Route path="/accounts/new" element={<AccountNew />} />
          <Route path="/accounts/:id" element={<AccountDetail />} />
          <Route path="/admin/units" element={<Units />} />
          <Route path="/admin/users" element={<Users />} />
          <Route path="/admin/users/:id" element={<UserDetail />} />
          <Route path="/admin/api-keys" element={<ApiKeys />} />
          <Route path="/security" element={<Security />} />
          <Route path="/audit" element={<Audit />} />
          <Route path="/campaigns" element={<Campaigns />} />
          <Route path="/campaigns/new" element={<CampaignNew />} />
          <Route path="/campaigns/:id" element={<CampaignDashboard />} />
          <Route path="/assignments/:id" element={<AssignmentDetail />} />
          <Route path="/admin/campaign-trust" element={<CampaignTrustSettings />} />
          <Route path="/admin/notification-channels" element={<NotificationChannels />} />
          <Route path="/qa" element={<QaLibrary />} />
          <Route path="/qa/new" element={<QaEditor />} />
          <Route path="/qa/gaps" element={<QaGaps />} />
          <Route path="/qa/synonyms" element={<QaSynonyms />} />
          <Route path="/qa/categories" element={<QaCategories />} />
          <Route path="/qa/policies" element={<QaPolicies />} />
          <Route path="/qa/:id" element={<QaView />} />
          <Route path="/notifications" element={<Notifications />} />
          <Route path="/alerts" element={<Alerts />} />
          <Route path="/inbox" element={<Inbox />} />
          <Route path="/inbox/metrics" element={<InboxMetrics />} />
          <Route path="/inbox/:id" element={<InboxThread />} />
          <Route path="/qa/:id/edit" element={<QaEditor />} />
          <Route path="/media" element={<MediaLibrary />} />
          <Route path="/monitoring" element={<Monitoring />} />
          <Route path="/monitoring/accounts/:id" element={<MonitoringAccount />} />
          <Route path="/duty" element={<Duty />} />
          <Route path="/duty/schedule/:unitId" element={<DutySchedule />} />
          <Route path="/duty/log/:unitId" element={<DutyLog />} />
          <Route path="/spot-checks" element={<SpotChecks />} />
          <Route path="/spot-checks/:id" element={<SpotCheckRound />} />
          <Route path="/rectifications" element={<Rectifications />} />
          <Route path="/rankings" element={<Rankings />} />

          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
