/**
 * Where two roads meet (望江路与秋涛路交叉口, the way hotline callers and inspectors give a location): the
 * first point where a segment of one crosses a segment of the other, else — for roads that end at
 * the other without crossing it, or are drawn a little apart — the point of one road nearest to the
 * other, if within MEET_M. Works in a local metric plane (x·kx, y·ky).
 */
export const MEET_M = 30;

export function meetingPoint(a: readonly Float64Array[], b: readonly Float64Array[], kx: number, ky: number): [number, number] | null {
  for (const p of a) {
    for (const q of b) {
      for (let i = 2; i < p.length; i += 2) {
        for (let j = 2; j < q.length; j += 2) {
          const hit = crossing(p[i - 2], p[i - 1], p[i], p[i + 1], q[j - 2], q[j - 1], q[j], q[j + 1]);
          if (hit) return hit;
        }
      }
    }
  }
  const near = nearestApproach(a, b, kx, ky);
  return near && near.distanceM <= MEET_M ? near.point : null;
}

/** The crossing point of segments ab and cd, or null (parallel or apart). */
function crossing(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): [number, number] | null {
  const rx = bx - ax;
  const ry = by - ay;
  const sx = dx - cx;
  const sy = dy - cy;
  const denom = rx * sy - ry * sx;
  if (denom === 0) return null;
  const t = ((cx - ax) * sy - (cy - ay) * sx) / denom;
  const u = ((cx - ax) * ry - (cy - ay) * rx) / denom;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? [ax + t * rx, ay + t * ry] : null;
}

/** Of every vertex of either road, the one nearest the other road, with that nearest point. */
function nearestApproach(a: readonly Float64Array[], b: readonly Float64Array[], kx: number, ky: number): { point: [number, number]; distanceM: number } | null {
  let best: { point: [number, number]; distanceM: number } | null = null;
  const consider = (from: readonly Float64Array[], to: readonly Float64Array[]) => {
    for (const p of from) {
      for (let i = 0; i < p.length; i += 2) {
        for (const q of to) {
          for (let j = 2; j < q.length; j += 2) {
            const [x, y, d] = closestOnSegment(p[i], p[i + 1], q[j - 2], q[j - 1], q[j], q[j + 1], kx, ky);
            if (!best || d < best.distanceM) best = { point: [(p[i] + x) / 2, (p[i + 1] + y) / 2], distanceM: d };
          }
        }
      }
    }
  };
  consider(a, b);
  consider(b, a);
  return best;
}

function closestOnSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number, kx: number, ky: number): [number, number, number] {
  const dx = (bx - ax) * kx;
  const dy = (by - ay) * ky;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? (((x - ax) * kx) * dx + ((y - ay) * ky) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const px = ax + t * (bx - ax);
  const py = ay + t * (by - ay);
  return [px, py, Math.hypot((px - x) * kx, (py - y) * ky)];
}
