import type { Rng } from './prng.js';
import { pointBeside, type RoadPath } from './roadside.js';
import type { RoadNetwork } from './roads.js';
import type { ComponentSink } from './sink.js';

/**
 * Traffic facilities tied to junctions and road segments: on each approach to a junction of two
 * main roads a signal (0210), signal gear (0214) and camera (0136) on the right; signs (0209) on
 * approaches; street-name plates (0213) just past each junction; and line components per segment:
 * median guard-rails (0211) and the odd noise barrier (0216), each kept inside one grid.
 */
interface ApproachItem {
  code: string;
  /** Distance before (negative) or past (positive) the junction. */
  ds: number;
  offset: number;
  p: number;
  mainOnly: boolean;
}

const APPROACH: readonly ApproachItem[] = [
  { code: '0210', ds: -18, offset: -7.6, p: 1, mainOnly: true }, // 交通信号灯
  { code: '0214', ds: -24, offset: -7.9, p: 0.5, mainOnly: true }, // 交通信号设施
  { code: '0136', ds: -30, offset: -7.7, p: 0.6, mainOnly: true }, // 监控电子眼
  { code: '0209', ds: -40, offset: -8.2, p: 0.7, mainOnly: false }, // 交通标志牌
  { code: '0217', ds: 22, offset: 9.6, p: 0.04, mainOnly: true }, // 交通岗亭
  { code: '0138', ds: 26, offset: -9.6, p: 0.02, mainOnly: true }, // 治安岗亭
];

export function placeTraffic(rng: Rng, sink: ComponentSink, paths: readonly RoadPath[], network: RoadNetwork): void {
  for (const path of paths) {
    if (path.line.kind !== 'main') continue;
    for (const j of path.junctions) {
      const roads = network.junctions.get(j.vertex) ?? [];
      const mainJunction = roads.filter((r) => network.lines[r].kind === 'main').length >= 2;
      for (const item of APPROACH) {
        if ((item.mainOnly && !mainJunction) || !rng.chance(item.p)) continue;
        at(sink, path, j.s + item.ds, item.offset, item.code);
      }
      if (j.others.length > 0 && rng.chance(0.6)) {
        at(sink, path, j.s + 16, 9.0, '0213', { roadName: path.line.name, crossing: j.others[0] });
      }
    }
    placeSegmentLines(rng, sink, path);
  }
}

function at(sink: ComponentSink, path: RoadPath, s: number, offset: number, code: string, extra: Record<string, unknown> = {}): void {
  if (s < 2 || s > path.length - 2) return;
  const [x, y] = pointBeside(path, s, offset);
  sink.point(code, x, y, extra);
}

/** A guard-rail or barrier along part of one mesh segment, trimmed clear of both junction mouths. */
function placeSegmentLines(rng: Rng, sink: ComponentSink, path: RoadPath): void {
  for (let k = 0; k + 1 < path.points.length; k++) {
    const from = path.cum[k] + 12;
    const to = path.cum[k + 1] - 12;
    if (to - from < 20) continue;
    if (rng.chance(0.3)) line(sink, path, '0211', from, to, 0.8);
    if (rng.chance(0.01)) line(sink, path, '0216', from, to, -10.8);
  }
}

function line(sink: ComponentSink, path: RoadPath, code: string, from: number, to: number, offset: number): void {
  const points = [from, (from + to) / 2, to].map((s) => pointBeside(path, s, offset));
  sink.shape(code, 'line', points, { lengthM: Math.round(to - from) });
}
