import { Alert, Button, Empty, List, Space, Tag, Typography } from 'antd';
import type { Finding } from '../api/types';
import { useLang, useT } from '../lib/i18n';

const FIELD: Record<string, [string, string]> = {
  title: ['标题', 'Title'],
  summary: ['摘要', 'Summary'],
  body: ['正文', 'Body'],
  source: ['来源', 'Source'],
  image: ['图片', 'Image'],
};

/** The five checks' findings, blocking first, each with where it is and what to do. */
export function FindingsPanel(props: {
  blocking: Finding[];
  warnings: Finding[];
  checking?: boolean;
  onLocate?: (f: Finding) => void;
  onApply?: (f: Finding) => void;
  acknowledged?: string[];
  onAcknowledge?: (f: Finding, on: boolean) => void;
  /** For the editor: blocking findings the reviewer decides on (personal data), by id, from the hub's 送审 rule. */
  forReviewer?: string[];
}) {
  const t = useT();
  const lang = useLang();
  const all = [...props.blocking, ...props.warnings];
  const deferred = new Set(props.forReviewer ?? []);
  const mustFix = props.blocking.filter((f) => !deferred.has(f.id));
  const toReviewer = props.blocking.length - mustFix.length;
  return (
    <section aria-label={t('内容检查结果', 'Compliance findings')} aria-live="polite" data-testid="findings">
      {mustFix.length > 0 ? (
        <Alert
          type="error"
          showIcon
          title={t(`${mustFix.length} 处必须修改后才能送审`, `${mustFix.length} finding(s) block submission`)}
          style={{ marginBottom: 8 }}
        />
      ) : toReviewer > 0 ? (
        <Alert
          type="info"
          showIcon
          title={t(
            `${toReviewer} 处个人信息：送审后由审核人确认是否有意公开`,
            `${toReviewer} item(s) of personal data: the reviewer decides`,
          )}
          style={{ marginBottom: 8 }}
          data-testid="for-reviewer"
        />
      ) : (
        !props.checking && (
          <Alert
            type="success"
            showIcon
            title={t('未发现阻断问题', 'Nothing blocks submission')}
            style={{ marginBottom: 8 }}
            data-testid="no-blocking"
          />
        )
      )}
      {all.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={props.checking ? t('检查中…', 'Checking…') : t('没有提示', 'No findings')}
        />
      ) : (
        <List
          size="small"
          dataSource={all}
          renderItem={(f) => (
            <List.Item data-finding-id={f.id} data-severity={f.severity}>
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  {deferred.has(f.id) ? (
                    <Tag color="blue" style={{ color: 'rgba(0,0,0,0.88)' }}>
                      {t('待审核人确认', 'Reviewer decides')}
                    </Tag>
                  ) : (
                    <Tag color={f.severity === 'block' ? 'red' : 'gold'} style={{ color: 'rgba(0,0,0,0.88)' }}>
                      {f.severity === 'block' ? t('必须修改', 'Must fix') : t('提示', 'Warning')}
                    </Tag>
                  )}
                  <Typography.Text type="secondary">{FIELD[f.field]?.[lang === 'zh' ? 0 : 1] ?? f.field}</Typography.Text>
                  {f.text && <Typography.Text mark>{f.text}</Typography.Text>}
                </Space>
                <Typography.Text>{f.message[lang]}</Typography.Text>
                {f.suggestion && (
                  <Typography.Text>
                    {t('建议改为：', 'Suggested: ')}
                    <Typography.Text strong>{f.suggestion}</Typography.Text>
                  </Typography.Text>
                )}
                <Space>
                  {props.onLocate && f.field === 'body' && f.htmlStart !== undefined && (
                    <Button size="small" onClick={() => props.onLocate!(f)}>
                      {t('定位', 'Show')}
                    </Button>
                  )}
                  {props.onApply && f.suggestion && f.field === 'body' && (
                    <Button size="small" type="primary" onClick={() => props.onApply!(f)}>
                      {t('采用建议', 'Apply')}
                    </Button>
                  )}
                  {props.onAcknowledge && f.category === 'privacy' && (
                    <Button size="small" onClick={() => props.onAcknowledge!(f, !props.acknowledged?.includes(f.id))}>
                      {props.acknowledged?.includes(f.id) ? t('取消确认', 'Undo') : t('确认有意公开', 'Mark as intended')}
                    </Button>
                  )}
                </Space>
              </Space>
            </List.Item>
          )}
        />
      )}
    </section>
  );
}
