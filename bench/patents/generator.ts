/**
 * Realistic stock-patent listings for the search benchmark: Chinese titles, abstracts and keywords
 * built from a vocabulary of technical words per field, IPC symbols of that field, grades, and
 * valid application numbers. Deterministic for a given seed, so runs are comparable.
 */
import { makePatentNumber, type PatentTypeDigit } from '@ipfin/kernel';
import { prng } from '@ipfin/testing';


interface Field {
  readonly category: string;
  readonly nouns: readonly string[];
  readonly ipc: readonly string[];
}

/** Technical vocabulary by field (the categories a university pool is sorted into). */
export const FIELDS: readonly Field[] = [
  {
    category: '新能源',
    nouns: ['光伏组件', '太阳能电池', '逆变器', '储能系统', '锂离子电池', '正极材料', '负极材料', '电解液', '隔膜', '风力发电机', '氢燃料电池', '充电桩', '电池管理系统', '钙钛矿薄膜', '光伏支架', '超级电容器'],
    ipc: ['H01L31/048', 'H01L31/18', 'H01M10/0525', 'H01M4/36', 'H02J7/00', 'H02M7/5387', 'H02S40/10', 'F03D9/25', 'H01M8/04'],
  },
  {
    category: '新材料',
    nouns: ['石墨烯', '碳纤维', '复合材料', '纳米颗粒', '陶瓷涂层', '高分子膜', '导热膜', '铝合金', '气凝胶', '有机硅胶', '稀土永磁体', '聚酰亚胺', '生物降解塑料', '碳化硅'],
    ipc: ['C01B32/184', 'C08J5/18', 'C04B35/565', 'C22C21/00', 'C08L67/04', 'B82Y30/00', 'H01F1/057'],
  },
  {
    category: '电子信息',
    nouns: ['芯片', '传感器', '集成电路', '天线', '射频模块', '图像识别', '神经网络', '数据加密', '物联网终端', '显示面板', 'LED灯具', '激光雷达', '存储器', '通信协议', '5G基站', 'MEMS麦克风'],
    ipc: ['H01L21/02', 'G06N3/08', 'G06V10/82', 'H04L9/08', 'H01Q1/24', 'H04W4/70', 'G01S17/89', 'G09G3/32', 'F21K9/20'],
  },
  {
    category: '生物医药',
    nouns: ['单克隆抗体', '疫苗', '中药提取物', '药物组合物', '检测试剂盒', '基因编辑', '细胞培养基', '医用敷料', '益生菌', '靶向载体', '核酸适配体', '酶制剂'],
    ipc: ['A61K36/00', 'A61K39/395', 'C12N15/11', 'G01N33/53', 'A61L15/28', 'C12N1/20', 'A61P35/00'],
  },
  {
    category: '农业食品',
    nouns: ['茶叶', '水仙花', '食用菌', '果蔬保鲜', '饲料', '育苗基质', '灌溉系统', '杀青机', '荔枝', '龙眼', '花生', '菌菇', '海产品', '竹笋'],
    ipc: ['A23F3/06', 'A01G22/00', 'A23B7/154', 'A23K10/30', 'A01G25/02', 'A01G18/00', 'A23L17/00'],
  },
  {
    category: '机械装备',
    nouns: ['机器人', '数控机床', '减速器', '轴承', '液压阀', '传动装置', '焊接设备', '无人机', '清洗装置', '输送机', '夹具', '模具', '注塑机', '起重机', '切割机'],
    ipc: ['B25J9/16', 'B23Q1/00', 'F16H1/32', 'F16C19/00', 'F15B13/02', 'B23K37/00', 'B64C39/02', 'B08B3/02', 'B65G15/00'],
  },
];

const ADJECTIVES = ['高效', '低成本', '耐高温', '柔性', '智能', '便携式', '环保型', '多功能', '高精度', '轻量化', '自动化', '可回收'];
const PROCESSES = ['制备', '控制', '检测', '回收', '封装', '改性', '加工', '优化', '清洗', '干燥', '装配', '标定'];
const DEVICES = ['装置', '系统', '设备', '结构', '组件', '电路', '模块', '方法', '工艺', '平台'];
const TECHS = ['深度学习', '物联网', '机器视觉', '激光', '超声波', '微流控', '区块链', '边缘计算', '数字孪生', '红外'];
const PROPERTIES = ['转换效率', '使用寿命', '检测精度', '稳定性', '生产效率', '安全性', '导热性能', '力学强度', '响应速度', '产品良率'];
const BENEFITS = ['降低生产成本', '减少能耗', '简化工艺流程', '便于维护', '提高可靠性', '减少环境污染', '便于批量生产'];
const PARTS = ['壳体', '基板', '控制器', '驱动电机', '连接件', '散热片', '密封圈', '支撑架', '电极', '涂层', '滤网', '喷嘴'];

export interface GeneratedListing {
  readonly number: string;
  readonly title: string;
  readonly kind: 'invention' | 'utility_model' | 'design';
  readonly status: 'valid' | 'lapsed';
  readonly ipc: string;
  readonly grade: 'A' | 'B' | 'C';
  readonly category: string;
  readonly grantedOn: string;
  readonly abstract: string;
  readonly keywords: string[];
}

const KIND_OF: Readonly<Record<PatentTypeDigit, GeneratedListing['kind']>> = { 1: 'invention', 2: 'utility_model', 3: 'design', 8: 'invention', 9: 'utility_model' };

/** The `index`-th listing of the data set (0-based; numbers unique for index < 7 000 000 per year). */
export function generateListing(index: number, seed = 20241001): GeneratedListing {
  const r = prng(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const field = pick(FIELDS);
  const a = pick(field.nouns);
  let b = pick(field.nouns);
  if (b === a) b = pick(field.nouns);
  const year = 2014 + (index % 11);
  const typeDigit: PatentTypeDigit = r() < 0.7 ? 1 : r() < 0.85 ? 2 : 3;
  const serial = Math.floor(index / 11);
  const templates = [
    () => `一种${a}及其${pick(PROCESSES)}方法`,
    () => `一种${pick(ADJECTIVES)}${a}`,
    () => `${a}的${pick(PROCESSES)}方法`,
    () => `一种基于${pick(TECHS)}的${a}${pick(DEVICES)}`,
    () => `${pick(ADJECTIVES)}${a}${pick(DEVICES)}`,
    () => `一种用于${a}的${b}`,
    () => `${a}${pick(DEVICES)}`,
    () => `一种${a}与${b}的复合${pick(DEVICES)}`,
  ];
  const title = pick(templates)();
  const abstract =
    `本${typeDigit === 1 ? '发明' : '实用新型'}公开了${title}，包括${pick(PARTS)}、${pick(PARTS)}和${b}。` +
    `该${pick(DEVICES)}通过${pick(TECHS)}技术提高了${pick(PROPERTIES)}和${pick(PROPERTIES)}，${pick(BENEFITS)}，` +
    `适用于${field.category}领域的${pick(field.nouns)}${pick(PROCESSES)}。`;
  const keywords = [...new Set([a, b, pick(PROCESSES), pick(TECHS)])];
  const grantedYear = Math.min(2024, year + 1 + Math.floor(r() * 3));
  return {
    number: makePatentNumber(year, typeDigit, serial),
    title,
    kind: KIND_OF[typeDigit],
    status: r() < 0.9 ? 'valid' : 'lapsed',
    ipc: pick(field.ipc),
    grade: r() < 0.2 ? 'A' : r() < 0.6 ? 'B' : 'C',
    category: field.category,
    grantedOn: `${grantedYear}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
    abstract,
    keywords,
  };
}

/** Terms users type: two-character words, longer words, two-term queries, a Latin word. */
export const QUERY_TERMS = {
  twoCharacter: ['光伏', '电池', '芯片', '茶叶', '轴承', '疫苗', '隔膜', '模具', '天线', '饲料', '荔枝', '涂层', '石墨', '机床'],
  longer: ['石墨烯', '锂离子电池', '传感器', '逆变器', '单克隆抗体', '减速器', '食用菌', '碳纤维', '激光雷达', '充电桩', '气凝胶', '无人机'],
  twoTerms: ['光伏 逆变器', '石墨烯 导热膜', '茶叶 杀青机', '芯片 封装', '机器人 视觉', '电池 回收'],
  latin: ['led', 'mems', '5g'],
  /** Words of abstracts that titles never have: every hit is in the lowest tier. */
  abstractOnly: ['散热片', '密封圈', '转换效率', '产品良率', '驱动电机', '便于批量生产'],
} as const;
