import { TREE_SPECIES } from './names.js';
import type { Rng } from './prng.js';
import { distancesAlong, pointBeside, type RoadPath } from './roadside.js';
import type { ComponentSink } from './sink.js';

/**
 * Street furniture along roads, as a table: class, spacing, offset from the centreline and side.
 * A main road's section is assumed to be a 14 m carriageway (covers at 1.5–5.5 m), kerb at 7 m,
 * pavement to 11 m (trees, lamps, bins, boxes, shop signs); lanes are narrower, so their offsets
 * are scaled down. Left is the road direction's left (see roadside.ts).
 */
interface FurnitureRow {
  code: string;
  spacing: [number, number];
  offset: number;
  side: 'both' | 'left' | 'right';
  /** Also on lanes (巷/弄), with offsets × 0.6. */
  lanes?: boolean;
}

const FURNITURE: readonly FurnitureRow[] = [
  { code: '0118', spacing: [28, 32], offset: 7.0, side: 'both', lanes: true }, // 路灯
  { code: '0117', spacing: [45, 75], offset: 7.4, side: 'right' }, // 立杆
  { code: '0101', spacing: [40, 80], offset: 3.2, side: 'left', lanes: true }, // 上水井盖
  { code: '0102', spacing: [35, 70], offset: 1.6, side: 'left', lanes: true }, // 污水井盖
  { code: '0103', spacing: [30, 60], offset: 4.4, side: 'both', lanes: true }, // 雨水井盖
  { code: '0104', spacing: [25, 35], offset: 6.9, side: 'both' }, // 雨水箅子
  { code: '0105', spacing: [60, 120], offset: 5.2, side: 'right' }, // 电力井盖
  { code: '0106', spacing: [80, 160], offset: 7.3, side: 'both' }, // 路灯井盖
  { code: '0107', spacing: [70, 140], offset: 5.6, side: 'left' }, // 通讯井盖
  { code: '0108', spacing: [120, 220], offset: 5.8, side: 'right' }, // 电视井盖
  { code: '0109', spacing: [120, 220], offset: 2.8, side: 'left' }, // 网络井盖
  { code: '0111', spacing: [70, 120], offset: 3.0, side: 'right', lanes: true }, // 燃气井盖
  { code: '0112', spacing: [300, 500], offset: 5.0, side: 'left' }, // 公安井盖
  { code: '0127', spacing: [300, 600], offset: 2.2, side: 'right' }, // 中水井盖
  { code: '0128', spacing: [500, 900], offset: 2.0, side: 'right' }, // 公交井盖
  { code: '0129', spacing: [900, 1500], offset: 4.0, side: 'right' }, // 输油(气)井盖
  { code: '0130', spacing: [800, 1400], offset: 4.8, side: 'left' }, // 特殊井盖
  { code: '0110', spacing: [1000, 2000], offset: 2.5, side: 'left' }, // 热力井盖 (rare in Hangzhou)
  { code: '0114', spacing: [600, 1200], offset: 3.8, side: 'both', lanes: true }, // 无主井盖
  { code: '0113', spacing: [100, 140], offset: 7.6, side: 'left', lanes: true }, // 消防设施 (hydrants)
  { code: '0305', spacing: [50, 80], offset: 7.2, side: 'both', lanes: true }, // 垃圾箱
  { code: '0202', spacing: [250, 500], offset: 7.8, side: 'right' }, // 停车咪表
  { code: '0212', spacing: [150, 300], offset: 8.6, side: 'both' }, // 存车支架
  { code: '0204', spacing: [1200, 2200], offset: 8.4, side: 'left' }, // 出租车站牌
  { code: '0215', spacing: [2000, 3500], offset: 9.2, side: 'right' }, // 道路信息显示屏
  { code: '0407', spacing: [200, 400], offset: 9.4, side: 'both' }, // 街头坐椅
  { code: '0404', spacing: [150, 300], offset: 8.8, side: 'left' }, // 花架花钵
  { code: '0134', spacing: [300, 600], offset: 9.6, side: 'right' }, // 变压器(箱)
  { code: '0116', spacing: [300, 600], offset: 9.3, side: 'left' }, // 电力设施
  { code: '0115', spacing: [250, 500], offset: 9.0, side: 'right' }, // 通讯交接箱
  { code: '0135', spacing: [700, 1300], offset: 9.6, side: 'left' }, // 燃气调压站(箱)
  { code: '0123', spacing: [800, 1500], offset: 8.9, side: 'left' }, // 邮筒
  { code: '0122', spacing: [900, 1600], offset: 9.1, side: 'right' }, // 电话亭
  { code: '0121', spacing: [700, 1300], offset: 9.5, side: 'left' }, // 报刊亭
  { code: '0137', spacing: [900, 1600], offset: 9.5, side: 'right' }, // 售货亭
  { code: '0124', spacing: [1200, 2000], offset: 9.5, side: 'left' }, // 信息亭
  { code: '0125', spacing: [600, 1200], offset: 9.7, side: 'right' }, // 自动售货机
  { code: '0306', spacing: [60, 120], offset: 10.2, side: 'both' }, // 灯箱霓虹灯
  { code: '0307', spacing: [25, 45], offset: 10.5, side: 'both', lanes: true }, // 广告牌匾
  { code: '0501', spacing: [400, 800], offset: 9.8, side: 'left' }, // 宣传栏
];

/** Sides as signed unit offsets: +1 left, -1 right. */
function sidesOf(side: FurnitureRow['side']): number[] {
  return side === 'both' ? [1, -1] : side === 'left' ? [1] : [-1];
}

export function placeFurniture(rng: Rng, sink: ComponentSink, paths: readonly RoadPath[]): void {
  for (const path of paths) {
    const lane = path.line.kind === 'lane';
    for (const row of FURNITURE) {
      if ((lane && !row.lanes) || !sink.has(row.code)) continue;
      for (const side of sidesOf(row.side)) {
        for (const s of distancesAlong(rng, path, { spacing: row.spacing, vertexGap: 2, junctionGap: 12 })) {
          const [x, y] = pointBeside(path, s, side * row.offset * (lane ? 0.6 : 1));
          sink.point(row.code, x, y);
        }
      }
    }
    if (!lane) placeTrees(rng, sink, path);
    if (!lane) placeBusStops(rng, sink, path);
  }
}

/** 行道树 every 7–9 m on both pavements, one species per road, some with a tree grate (护树设施). */
function placeTrees(rng: Rng, sink: ComponentSink, path: RoadPath): void {
  const species = rng.pick(TREE_SPECIES);
  for (const side of [1, -1]) {
    for (const s of distancesAlong(rng, path, { spacing: [7, 9], vertexGap: 2, junctionGap: 12 })) {
      const [x, y] = pointBeside(path, s, side * 6.2);
      if (!sink.point('0402', x, y, { species, dbhCm: rng.int(12, 45) })) continue;
      if (rng.chance(0.1)) {
        const [gx, gy] = pointBeside(path, s + 0.6, side * 6.2);
        sink.point('0403', gx, gy);
      }
    }
  }
}

/** 公交站亭 every 700–1100 m per side, named after the nearest crossing (秋涛路婺江路口). */
function placeBusStops(rng: Rng, sink: ComponentSink, path: RoadPath): void {
  for (const side of [1, -1]) {
    for (const s of distancesAlong(rng, path, { spacing: [700, 1100], vertexGap: 10, junctionGap: 30 })) {
      const [x, y] = pointBeside(path, s, side * 9.0);
      sink.point('0203', x, y, { stopName: stopName(path, s), direction: side > 0 ? '上行' : '下行' });
    }
  }
}

function stopName(path: RoadPath, s: number): string {
  const named = path.junctions.filter((j) => j.others.length > 0);
  if (named.length === 0) return `${path.line.name}站`;
  const nearest = named.reduce((a, b) => (Math.abs(b.s - s) < Math.abs(a.s - s) ? b : a));
  return `${path.line.name}${nearest.others[0]}口`;
}
