import type { QaIndexDoc } from '@tongfa/knowledge';

/**
 * A generated Q&A library of any size for the latency benchmark, the same for a given seed: a
 * province of 16 cities × 8 counties (+2 departments each), entries spread over them like a real
 * library (most written by counties, some overriding a city's or the province's entry, a few
 * expired or not yet effective), questions composed from livelihood matters, the people they
 * concern, what is asked about them and a local place name, so that many entries share words the
 * way a real library's do.
 */

/** mulberry32: small, fast, good enough to make the same library every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const MATTERS = (
  '社保卡 职工养老保险 城乡居民养老保险 职工医保 居民医保 医保电子凭证 异地就医 门诊慢特病 生育津贴 失业保险金 工伤保险 ' +
  '住房公积金 公积金贷款 户口 居住证 身份证 临时身份证 护照 港澳通行证 台湾通行证 结婚登记 离婚登记 收养登记 ' +
  '不动产权证 抵押登记 房屋租赁备案 公租房 租赁补贴 维修资金 营业执照 食品经营许可证 药品经营许可证 ' +
  '个体工商户登记 企业年报 个人所得税 契税 增值税发票 驾驶证 机动车年检 交通违法 新车上牌 残疾人证 ' +
  '残疾人两项补贴 低保 特困供养 临时救助 高龄津贴 育儿补贴 出生医学证明 预防接种证 入学报名 学籍转学 ' +
  '生源地助学贷款 教师资格认定 职业技能等级证书 职称评审 人事档案 创业担保贷款 技能提升补贴 退役军人优待证 ' +
  '退役士兵安置 优抚补助 殡葬补贴 宅基地审批 农村建房 耕地地力补贴 农机购置补贴 林木采伐许可 取水许可 ' +
  '排污许可 建筑工程施工许可 消防验收 燃气经营许可 道路运输证 网约车驾驶员证 导游证 法律援助 公证 ' +
  '献血证 犬只登记 电动自行车登记 老年人优待证 公交老年卡 无犯罪记录证明 户籍证明'
).split(' ');

const PEOPLE = [
  '',
  '',
  '',
  '个人',
  '企业',
  '职工',
  '灵活就业人员',
  '退休人员',
  '外地户籍人员',
  '农村居民',
  '新生儿',
  '老年人',
  '残疾人',
  '退役军人',
  '高校毕业生',
  '个体户',
  '未成年人',
  '港澳台居民',
];

/** What is asked: the standard wording first, then how else people put it. */
const ASPECTS: string[][] = [
  ['怎么办理', '在哪里办', '去哪办理', '办理流程是什么'],
  ['需要什么材料', '要带哪些证件', '要准备什么资料', '提交哪些材料'],
  ['收费标准是多少', '要交多少钱', '费用多少', '收不收费'],
  ['多久能办好', '办理时限多长', '几天能拿到', '要等多长时间'],
  ['可以网上办理吗', '能不能在手机上办', '线上怎么申请', '网上办理入口在哪'],
  ['丢了怎么补办', '遗失了怎么办', '补领流程', '损坏了怎么换'],
  ['信息变更怎么办', '信息写错了怎么改', '怎么变更', '变更需要什么'],
  ['怎么注销', '注销流程', '不用了怎么取消', '怎么撤销'],
  ['怎么查询', '在哪里查', '查询进度', '网上怎么查'],
  ['申请条件是什么', '谁可以申请', '需要满足什么条件', '符合什么条件能办'],
  ['标准是多少', '每月能领多少', '补贴多少钱', '发放标准'],
  ['到期了怎么办', '过期了怎么换', '有效期多久', '提前多久续办'],
  ['异地能办吗', '可以跨省通办吗', '不在户籍地能办吗', '外地能不能办'],
  ['办理时间是什么时候', '几点上班', '周末能办吗', '窗口办公时间'],
];

const CHANNELS = ['政务服务网', '“东江办事”APP', '各级政务服务中心窗口', '12345热线预约', '微信小程序', '乡镇（街道）便民服务中心'];
const PAPERS = ['身份证', '户口簿', '申请表', '近期照片', '营业执照', '不动产权证书', '结婚证', '出生医学证明', '劳动合同', '收入证明'];
const SYLLABLES = '安宁平和兴华江川山河清远丰泰东西南北新长永康顺德福寿龙凤云溪湖林松柏桥阳临青白鹿港石城湾'.split('');

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

function placeName(rand: () => number, used: Set<string>, suffix: string): string {
  for (;;) {
    const name = pick(rand, SYLLABLES) + pick(rand, SYLLABLES);
    if (name[0] !== name[1] && !used.has(name)) {
      used.add(name);
      return name + suffix;
    }
  }
}

interface GenUnit {
  path: string;
  name: string;
  /** Indexes of generated entries owned by this unit. */
  owned: number[];
}

export interface GeneratedLibrary {
  docs: QaIndexDoc[];
  /** Materialized paths of every generated unit (searches are asked from these). */
  unitPaths: string[];
  counts: { overrides: number; expired: number; future: number };
}

export function generateLibrary(size: number, seed: number, asOf: Date): GeneratedLibrary {
  const rand = seededRandom(seed);
  const used = new Set<string>();
  const root: GenUnit = { path: '/g/', name: '', owned: [] };
  const cities: GenUnit[] = [];
  const counties: GenUnit[] = [];
  const depts: GenUnit[] = [];
  const parentOf = new Map<GenUnit, GenUnit>();
  for (let c = 0; c < 16; c++) {
    const city: GenUnit = { path: `/g/c${c}/`, name: placeName(rand, used, '市'), owned: [] };
    cities.push(city);
    parentOf.set(city, root);
    for (let k = 0; k < 8; k++) {
      const county: GenUnit = { path: `${city.path}k${k}/`, name: placeName(rand, used, rand() < 0.7 ? '县' : '区'), owned: [] };
      counties.push(county);
      parentOf.set(county, city);
    }
    for (const d of ['人社局', '医保局']) {
      const dept: GenUnit = { path: `${city.path}d${depts.length}/`, name: city.name + d, owned: [] };
      depts.push(dept);
      parentOf.set(dept, city);
    }
  }
  const day = 24 * 3600_000;
  const docs: QaIndexDoc[] = [];
  const counts = { overrides: 0, expired: 0, future: 0 };
  for (let i = 0; i < size; i++) {
    const r = rand();
    const unit = r < 0.1 ? root : r < 0.35 ? pick(rand, cities) : r < 0.95 ? pick(rand, counties) : pick(rand, depts);
    const matter = pick(rand, MATTERS);
    const who = pick(rand, PEOPLE);
    const aspect = pick(rand, ASPECTS);
    const local = unit !== root && rand() < 0.5 ? unit.name : '';
    let question = `${local}${who}${matter}${aspect[0]}？`;
    let overridesEntryId: string | null = null;
    // A county or city entry replacing one of its ancestors' entries: the same question, locally.
    const ancestor = parentOf.get(unit);
    const candidates = ancestor ? [...ancestor.owned, ...(parentOf.get(ancestor)?.owned ?? [])] : [];
    if (unit !== root && candidates.length > 0 && rand() < 0.05) {
      const target = docs[pick(rand, candidates)];
      if (!target.overridesEntryId) {
        overridesEntryId = target.entryId;
        question = `${unit.name}${target.question}`;
        counts.overrides++;
      }
    }
    const similar = aspect
      .slice(1)
      .filter(() => rand() < 0.75)
      .map((a) => `${rand() < 0.5 ? local : ''}${who}${matter}${a}`);
    if (similar.length < 2) similar.push(`${matter}${aspect[1]}`, `${who || '我'}想问${matter}${aspect[2]}`);
    const v = rand();
    let effectiveFrom: Date | null = null;
    let effectiveUntil: Date | null = null;
    if (v < 0.03) {
      effectiveUntil = new Date(asOf.getTime() - (1 + Math.floor(rand() * 700)) * day);
      counts.expired++;
    } else if (v < 0.04) {
      effectiveFrom = new Date(asOf.getTime() + (1 + Math.floor(rand() * 90)) * day);
      counts.future++;
    }
    const papers = [pick(rand, PAPERS), pick(rand, PAPERS), pick(rand, PAPERS)].filter((p, j, a) => a.indexOf(p) === j);
    const answerText =
      `${local || '本省'}${who}${matter}可通过${pick(rand, CHANNELS)}或${pick(rand, CHANNELS)}申请，需提交${papers.join('、')}等材料，` +
      `材料齐全的${1 + Math.floor(rand() * 20)}个工作日内办结。` +
      (rand() < 0.5 ? `收费按规定执行，咨询电话0000-${String(1000000 + Math.floor(rand() * 8999999))}。` : '详情请咨询当地政务服务中心。');
    const entryId = `g${String(i).padStart(6, '0')}`;
    unit.owned.push(i);
    docs.push({
      entryId,
      unitId: unit.path,
      unitPath: unit.path,
      overridesEntryId,
      question,
      similarQuestions: similar,
      keywords: [matter, who, aspect[0].slice(0, 4)].filter((k) => k),
      answerText,
      category: matter,
      effectiveFrom,
      effectiveUntil,
    });
  }
  return { docs, unitPaths: [root, ...cities, ...counties, ...depts].map((u) => u.path), counts };
}
