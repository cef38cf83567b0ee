import type { Unit } from '../domain/types.js';
import type { CommunityFrame } from './admin.js';
import { hashString } from './prng.js';

/**
 * Departments, companies and offices of the demo city. Each `kind` names one unit, and the kinds
 * match the class dictionary's `defaultCompetent` values, so an ownership engine can map a class to
 * its competent unit; street offices and community committees share the kinds 'street_office' and
 * 'community' and are found by their admin code instead.
 *
 * Codes of departments and companies are synthetic but well-formed 统一社会信用代码 (GB 32100),
 * derived from the name so they do not change with the seed. Real codes of these bodies are not used.
 */
interface UnitSpec {
  name: string;
  kind: string;
  /** GB 32100 registration authority and type: 11 机关, 12 事业单位, 91 企业. */
  type: '11' | '12' | '91';
  /** Admin code of the registering authority: the district or the city. */
  region: '330102' | '330100';
}

const UNIT_SPECS: readonly UnitSpec[] = [
  { name: '杭州市上城区城市管理局', kind: 'urban_management', type: '11', region: '330102' },
  { name: '杭州市上城区城市照明管理所', kind: 'lighting', type: '12', region: '330102' },
  { name: '杭州市上城区园林绿化管理中心', kind: 'greening', type: '12', region: '330102' },
  { name: '杭州市上城区环境卫生管理中心', kind: 'sanitation', type: '12', region: '330102' },
  { name: '杭州市上城区市政设施养护中心', kind: 'roads', type: '12', region: '330102' },
  { name: '杭州水务集团有限公司', kind: 'water', type: '91', region: '330100' },
  { name: '杭州市排水有限公司', kind: 'drainage', type: '91', region: '330100' },
  { name: '国网浙江省电力有限公司杭州供电公司', kind: 'power', type: '91', region: '330100' },
  { name: '中国电信股份有限公司杭州分公司', kind: 'telecom', type: '91', region: '330100' },
  { name: '中国移动通信集团浙江有限公司杭州分公司', kind: 'telecom_mobile', type: '91', region: '330100' },
  { name: '中国联合网络通信有限公司杭州市分公司', kind: 'telecom_unicom', type: '91', region: '330100' },
  { name: '华数数字电视传媒集团有限公司', kind: 'cable_tv', type: '91', region: '330100' },
  { name: '杭州市燃气集团有限公司', kind: 'gas', type: '91', region: '330100' },
  { name: '杭州热电集团股份有限公司', kind: 'heating', type: '91', region: '330100' },
  { name: '杭州市公安局上城区分局', kind: 'police', type: '11', region: '330102' },
  { name: '杭州市公安局交通警察支队上城大队', kind: 'traffic', type: '11', region: '330102' },
  { name: '杭州市上城区消防救援大队', kind: 'fire', type: '11', region: '330102' },
  { name: '中国邮政集团有限公司杭州市分公司', kind: 'post', type: '91', region: '330100' },
  { name: '杭州市公共交通集团有限公司', kind: 'transit', type: '91', region: '330100' },
  { name: '杭州市生态环境局上城分局', kind: 'environment', type: '11', region: '330102' },
  { name: '杭州市气象局', kind: 'weather', type: '12', region: '330100' },
  { name: '杭州市上城区房产管理服务中心', kind: 'housing', type: '12', region: '330102' },
  { name: '杭州市上城区人民防空办公室', kind: 'civil_defence', type: '11', region: '330102' },
  { name: '杭州市上城区应急管理局', kind: 'emergency', type: '11', region: '330102' },
  { name: '杭州市上城区住房和城市建设局', kind: 'construction', type: '11', region: '330102' },
  { name: '杭州市上城区林业水利局', kind: 'water_affairs', type: '11', region: '330102' },
  { name: '杭州市港航管理服务中心', kind: 'maritime', type: '12', region: '330100' },
  { name: '杭州上城市政工程养护有限公司', kind: 'maintenance_roads', type: '91', region: '330102' },
  { name: '杭州上城园林绿化养护有限公司', kind: 'maintenance_greening', type: '91', region: '330102' },
  { name: '杭州上城照明工程有限公司', kind: 'maintenance_lighting', type: '91', region: '330102' },
  { name: '杭州上城环境卫生服务有限公司', kind: 'maintenance_sanitation', type: '91', region: '330102' },
  { name: '望江公园管理处', kind: 'park_office', type: '12', region: '330102' },
  { name: '钱江科技园区管理委员会', kind: 'zone_committee', type: '11', region: '330102' },
  { name: '南宋皇城遗址景区管理处', kind: 'scenic_office', type: '12', region: '330102' },
];

export interface UnitRegistry {
  units: Unit[];
  /** The one unit of each kind (departments and companies). */
  byKind(kind: string): Unit;
  /** Street office by street code. */
  streetOffice(streetCode: string): Unit;
}

export function buildUnits(countyName: string, streets: readonly { code: string; name: string }[], communities: readonly CommunityFrame[]): UnitRegistry {
  const departments = UNIT_SPECS.map((spec): Unit => ({ code: creditCode(spec), name: spec.name, kind: spec.kind, contact: null }));
  const offices = streets.map((s): Unit => ({ code: s.code, name: `${countyName}${s.name}办事处`, kind: 'street_office', contact: null }));
  const committees = communities.map((c): Unit => ({ code: c.code, name: `${c.name}居民委员会`, kind: 'community', contact: null }));
  const kinds = new Map(departments.map((u) => [u.kind, u]));
  const offsByCode = new Map(offices.map((u) => [u.code, u]));
  return {
    units: [...departments, ...offices, ...committees],
    byKind: (kind) => {
      const unit = kinds.get(kind);
      if (!unit) throw new Error(`demo: no unit of kind ${kind}`);
      return unit;
    },
    streetOffice: (code) => offsByCode.get(code)!,
  };
}

/** Characters of a 统一社会信用代码 (no I, O, S, V, Z) and the weights of its check character. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * 18 characters: registration authority and type (2), admin code (6), organisation code (8 + its
 * GB 11714 check), and the GB 32100 check character. The organisation code is a hash of the name.
 */
export function creditCode(spec: Pick<UnitSpec, 'name' | 'type' | 'region'>): string {
  const body = String(hashString(spec.name) % 100_000_000).padStart(8, '0');
  const orgSum = [...body].reduce((sum, ch, i) => sum + Number(ch) * ORG_WEIGHTS[i], 0);
  const orgCheck = 11 - (orgSum % 11);
  const org = body + (orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck));
  const first17 = spec.type + spec.region + org;
  const sum = [...first17].reduce((acc, ch, i) => acc + USCC_CHARS.indexOf(ch) * USCC_WEIGHTS[i], 0);
  const check = (31 - (sum % 31)) % 31;
  return first17 + USCC_CHARS[check];
}
