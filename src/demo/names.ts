import { shuffle, type Rng } from './prng.js';

/**
 * Name pools for the synthetic city. Road and lane names are real Hangzhou names (most from the old
 * 上城 and 江干 districts), used here without their real positions; each is used at most once.
 */
const ROAD_NAMES = [
  '建国南路', '望江路', '秋涛路', '江城路', '婺江路', '解放路', '庆春东路', '凤起东路', '环城东路', '新塘路',
  '景芳路', '凯旋路', '采荷路', '江锦路', '钱江路', '之江路', '复兴路', '南星路', '近江路', '清江路',
  '富春路', '新业路', '民心路', '秋涛北路', '艮山西路', '天城路', '石桥路', '西湖大道', '惠民路', '海潮路',
  '候潮路', '美政路', '甬江路', '定安路', '中河南路', '中山南路', '莫邪塘路', '景昙路', '华家池路', '五星路',
  '新风路', '五福路', '钱潮路', '之江东路', '凤凰山脚路', '馒头山路', '白塔岭路', '玉皇山路', '万松岭路', '南复路',
  '水澄桥路', '观音塘路', '机场路', '德胜东路', '九堡大道', '杭海路', '笕丁路', '明月桥路', '运河东路', '昙花庵路',
  '双菱路', '景御路', '庆和路', '红菱路', '新城路', '城星路', '富春江路', '清泰街', '市民街', '始版桥直街',
];

const LANE_NAMES = [
  '姚园寺巷', '长明寺巷', '金钱巷', '茅廊巷', '葵巷', '直吉祥巷', '小营巷', '银枪班巷', '刀茅巷', '柴垛桥巷',
  '竹竿巷', '皮市巷', '太平巷', '大井巷', '十五奎巷', '察院前巷', '白马庙巷', '木场巷', '袁井巷', '城头巷',
  '打铜巷', '火药局弄', '紫花埠弄', '莫邪塘弄', '始版桥弄', '大通桥弄', '兴隆弄', '耀华弄', '徐家埠弄', '美政桥弄',
  '海月桥弄', '水澄桥弄', '南肖埠弄', '金兰池弄', '庆春门弄', '芙蓉弄', '洁莲弄', '健风弄', '江汀弄', '静怡弄',
];

const CHINESE_DIGITS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** Hands out unique names from a shuffled pool, then numbered fallbacks (规划一路, 规划二路, …). */
export function namePool(rng: Rng, pool: readonly string[], fallback: (n: number) => string): () => string {
  const names = shuffle([...pool], rng);
  let used = 0;
  let extra = 0;
  return () => {
    if (used < names.length) return names[used++];
    extra++;
    return fallback(extra);
  };
}

export function chineseNumber(n: number): string {
  if (n <= 10) return CHINESE_DIGITS[n - 1];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CHINESE_DIGITS[tens - 1]}十${ones === 0 ? '' : CHINESE_DIGITS[ones - 1]}`;
}

export function roadNames(rng: Rng): () => string {
  return namePool(rng, ROAD_NAMES, (n) => `规划${chineseNumber(n)}路`);
}

export function laneNames(rng: Rng): () => string {
  return namePool(rng, LANE_NAMES, (n) => `新建${chineseNumber(n)}弄`);
}

const BUILDING_PREFIXES = [
  '望江', '江景', '春江', '钱塘', '之江', '近江', '采荷', '凯旋', '景芳', '婺江', '秋涛', '复兴', '南星', '紫花',
  '金色', '锦绣', '和平', '新华', '东方', '华润', '绿城', '耀江', '城建', '富春', '清泰', '清江', '海月', '江南',
];
const BUILDING_SUFFIXES = ['大厦', '小区', '花园', '公寓', '中心', '广场', '苑', '家园', '商务楼', '府'];

export function buildingName(rng: Rng): string {
  return rng.pick(BUILDING_PREFIXES) + rng.pick(BUILDING_SUFFIXES);
}

export const TREE_SPECIES = ['香樟', '悬铃木', '银杏', '无患子', '栾树', '水杉', '广玉兰', '桂花', '樱花', '女贞'] as const;
export const SCULPTURE_NAMES = ['钱江潮', '弄潮儿', '时代之光', '江南韵', '和谐', '丰收', '城市之窗', '潮起'] as const;
export const SITE_KINDS = ['安置房', '商住楼', '学校', '综合体', '道路提升', '地铁站'] as const;
export const COVER_MATERIALS = ['铸铁', '球墨铸铁', '复合材料', '钢纤维混凝土'] as const;
