import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Card, Empty, List, Switch, Typography } from 'antd';
import { api } from '../api/client';
import type { Assignment, CampaignTrust, Page } from '../api/types';
import { useSession } from '../lib/session';
import { useT } from '../lib/i18n';
import { when } from '../lib/campaigns';
import { errorText } from '../lib/forms';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';

interface Issuer {
  issuerUnitId: string;
  issuerUnitName: string;
  rule: CampaignTrust | null;
}

/**
 * The standing rule (联动免审) a unit admin may set per superior: campaigns that superior issues
 * publish here without our own review. The issuers offered are those that have sent us campaigns
 * (a unit cannot list its superiors otherwise), plus those that already have a rule.
 */
export default function CampaignTrustSettings() {
  const t = useT();
  const { me } = useSession();
  const { modal, message } = App.useApp();
  const unitId = me?.roles.find((r) => r.role === 'unit_admin')?.unitId ?? me?.unitId ?? '';
  const [issuers, setIssuers] = useState<Issuer[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [rules, received] = await Promise.all([
        api<{ items: CampaignTrust[] }>(`/units/${unitId}/campaign-trust`),
        api<Page<Assignment>>('/assignments?pageSize=200'),
      ]);
      const byId = new Map<string, Issuer>();
      for (const a of received.items) {
        const iid = a.campaign.issuerUnitId;
        if (iid && !byId.has(iid)) byId.set(iid, { issuerUnitId: iid, issuerUnitName: a.campaign.issuerUnitName, rule: null });
      }
      for (const r of rules.items) byId.set(r.issuerUnitId, { issuerUnitId: r.issuerUnitId, issuerUnitName: r.issuerUnitName, rule: r });
      // An issuer stays listed after its rule is turned off, so it can be turned on again.
      setIssuers((prev) => {
        for (const i of prev ?? []) if (!byId.has(i.issuerUnitId)) byId.set(i.issuerUnitId, { ...i, rule: null });
        return [...byId.values()];
      });
      setError(null);
    } catch (e) {
      setError(t(`加载失败：${errorText(e)}`, `Could not load: ${errorText(e)}`));
    }
  }, [unitId]); // `t` follows the language; a reload picks it up.
  useEffect(() => void load(), [load]);

  const toggle = (i: Issuer, on: boolean) =>
    modal.confirm({
      title: on
        ? t(`信任「${i.issuerUnitName}」的联动任务？`, `Trust campaigns from ${i.issuerUnitName}?`)
        : t(`取消对「${i.issuerUnitName}」的信任？`, `Stop trusting ${i.issuerUnitName}?`),
      content: on
        ? t(
            `开启后，「${i.issuerUnitName}」发起的联动任务在本单位接收后将不经本单位审核直接发布（仍做合规检查；发起单位的审核即视为审核）。此设置记入审计，可随时关闭。`,
            `Campaigns from ${i.issuerUnitName} will publish here on acceptance without our own review (compliance checks still run; the issuer's review stands for ours). Audited; can be turned off any time.`,
          )
        : t(
            `关闭后，「${i.issuerUnitName}」的联动任务恢复走本单位审核流程。`,
            `Campaigns from ${i.issuerUnitName} will go through our own review again.`,
          ),
      okText: on ? t('确认开启', 'Turn on') : t('确认关闭', 'Turn off'),
      cancelText: t('取消', 'Cancel'),
      onOk: async () => {
        try {
          await api(`/units/${unitId}/campaign-trust/${i.issuerUnitId}`, { method: on ? 'PUT' : 'DELETE' });
          message.success(on ? t('已开启', 'Turned on') : t('已关闭', 'Turned off'));
          await load();
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  return (
    <div>
      <PageHeader title={t('联动任务免审设置', 'Campaign trust rules')} />
      <Card>
        <Typography.Paragraph type="secondary">
          {t(
            '对某个上级单位开启后，其发起的联动任务由本单位接收时不再经过本单位审核，直接发布到本单位账号。仅单位管理员可设置。',
            'For a superior turned on here, its campaigns publish to our accounts on acceptance without our own review. Unit admins only.',
          )}
        </Typography.Paragraph>
        {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 12 }} />}
        {issuers === null && !error ? (
          <Loading />
        ) : (issuers ?? []).length === 0 ? (
          <Empty description={t('还没有上级单位向本单位下发过联动任务', 'No superior has sent us a campaign yet')} />
        ) : (
          <List
            dataSource={issuers ?? []}
            data-testid="trust-rules"
            renderItem={(i) => (
              <List.Item
                data-issuer={i.issuerUnitId}
                extra={
                  <Switch
                    checked={!!i.rule}
                    aria-label={t(`免审发布「${i.issuerUnitName}」的联动任务`, `Publish campaigns from ${i.issuerUnitName} without review`)}
                    onChange={(on) => toggle(i, on)}
                  />
                }
              >
                <List.Item.Meta
                  title={i.issuerUnitName}
                  description={
                    i.rule
                      ? t(`已开启免审（${when(i.rule.createdAt)}）`, `Trusted since ${when(i.rule.createdAt)}`)
                      : t('走本单位审核流程', 'Goes through our review')
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
    </div>
  );
}
