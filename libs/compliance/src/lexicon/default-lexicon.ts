import { LexiconKind, LexiconTerm } from './lexicon-kind';

const K = LexiconKind;

/**
 * The lexicon published as version 1 when none exists, so a new installation checks something
 * out of the box. A modest, generic starting point: the province replaces and extends it through
 * the lexicon API. The leader_title entries are a SAMPLE with fictional names and titles of the
 * demo province (南岭省示范市); they state nothing about any real person. Real names and their
 * current titles are maintained by the province, never shipped in this repository.
 */
export const DEFAULT_LEXICON: readonly LexiconTerm[] = [
  ...['法轮功', '藏独', '疆独', '台独', '代开发票', '办证刻章', '枪支出售', '六合彩'].map((term) => ({ kind: K.Forbidden, term })),
  ...['群体性事件', '游行示威', '罢工', '集体上访'].map((term) => ({ kind: K.Sensitive, term })),
  { kind: K.Ad, term: '最佳', severity: 'warn' },
  { kind: K.Ad, term: '最低价', severity: 'warn' },
  { kind: K.Ad, term: '限时抢购', severity: 'warn' },
  { kind: K.Ad, term: '第一品牌', severity: 'block' },
  { kind: K.Ad, term: '扫码领取', severity: 'block' },
  { kind: K.Ad, term: '点击购买', severity: 'block' },
  { kind: K.Ad, term: '国家级产品', severity: 'block' },
  { kind: K.Ad, term: '全网最低', severity: 'block' },
  ...['绝密', '机密', '秘密', '内部资料', '不予公开', '内部文件', '注意保密', '内部传阅'].map((term) => ({ kind: K.Secrecy, term })),
  ...(
    [
      ['按步就班', '按部就班'],
      ['迫不急待', '迫不及待'],
      ['再接再励', '再接再厉'],
      ['一愁莫展', '一筹莫展'],
      ['默守成规', '墨守成规'],
      ['穿流不息', '川流不息'],
      ['甘败下风', '甘拜下风'],
      ['不径而走', '不胫而走'],
      ['谈笑风声', '谈笑风生'],
      ['既使', '即使'],
      ['精减机构', '精简机构'],
    ] as const
  ).map(([term, replacement]) => ({ kind: K.Typo, term, replacement })),
  { kind: K.StandardPhrase, term: '台湾总统', replacement: '台湾地区领导人', severity: 'block' },
  { kind: K.StandardPhrase, term: '两岸三地', replacement: '内地与港澳、大陆与台湾' },
  { kind: K.StandardPhrase, term: '大陆和香港', replacement: '内地和香港' },
  { kind: K.StandardPhrase, term: '国务院各部委', replacement: '国务院各部委、各直属机构' },
  { kind: K.StandardPhrase, term: '富强、民主、文明、和谐' },
  { kind: K.StandardPhrase, term: '自由、平等、公正、法治' },
  { kind: K.StandardPhrase, term: '爱国、敬业、诚信、友善' },
  { kind: K.StandardPhrase, term: '政治关、法律关、政策关、保密关、文字关' },
  { kind: K.LeaderTitle, term: '王样例', replacement: '示范市市长|市长', note: 'SAMPLE 样例（虚构），请替换为真实名录' },
  { kind: K.LeaderTitle, term: '李示范', replacement: '示范市副市长|副市长', note: 'SAMPLE 样例（虚构），请替换为真实名录' },
  { kind: K.LeaderTitle, term: '赵演示', replacement: '示范市委书记|市委书记|书记', note: 'SAMPLE 样例（虚构），请替换为真实名录' },
  ...['新华社', '人民日报', '中央广播电视总台', '中国政府网', '光明日报', '经济日报', '南岭省人民政府办公厅'].map((term) => ({
    kind: K.SourceUnit,
    term,
  })),
  ...['gov.cn', 'news.cn', 'xinhuanet.com', 'people.com.cn', 'cctv.com', 'gmw.cn', 'ce.cn'].map((term) => ({
    kind: K.HostAllowlist,
    term,
  })),
];
