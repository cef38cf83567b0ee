import type { ClassEntry } from '../domain/types.js';
import { COVER_MATERIALS } from './names.js';
import type { Rng } from './prng.js';

/**
 * Per-record attributes of demo components that do not depend on place: state (状态), dates and
 * the class-specific extras a field survey records (材质 of covers, lamp height, …).
 */
export interface RecordAttributes {
  state: string;
  initialDate: string;
  changedDate: string | null;
  note: string | null;
  extra: Record<string, unknown>;
}

const DAY_MS = 86_400_000;
const SURVEY_FROM = Date.UTC(2016, 0, 1);
const SURVEY_TO = Date.UTC(2024, 1, 29);
const CHANGE_FROM = Date.UTC(2024, 2, 1);
const CHANGE_TO = Date.UTC(2025, 5, 30);

/** Every ISO day in [from, to], formatted once: Date formatting per record dominated the run time. */
function daysBetween(from: number, to: number): readonly string[] {
  const out: string[] = [];
  for (let t = from; t <= to; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const SURVEY_DAYS = daysBetween(SURVEY_FROM, SURVEY_TO);
const CHANGE_DAYS = daysBetween(CHANGE_FROM, CHANGE_TO);

function isCover(c: ClassEntry): boolean {
  return c.name.endsWith('井盖') || c.typeCode === '0104';
}

/** Covers and bins go missing now and then; most things are just intact. */
function drawState(rng: Rng, c: ClassEntry): string {
  const x = rng.next();
  if (isCover(c)) return x < 0.93 ? '完好' : x < 0.98 ? '破损' : '丢失';
  if (['0305', '0209', '0213', '0403'].includes(c.typeCode)) return x < 0.93 ? '完好' : x < 0.99 ? '破损' : '丢失';
  if (['0212', '0202', '0121', '0137'].includes(c.typeCode)) return x < 0.95 ? '完好' : x < 0.98 ? '占用' : '破损';
  return x < 0.96 ? '完好' : '破损';
}

const NOTES: Record<string, string> = { 破损: '待维修', 丢失: '待补装', 占用: '被占用' };

export function drawAttributes(rng: Rng, c: ClassEntry, extra: Record<string, unknown>): RecordAttributes {
  const state = drawState(rng, c);
  const initialDate = rng.pick(SURVEY_DAYS);
  const changedDate = state !== '完好' || rng.chance(0.08) ? rng.pick(CHANGE_DAYS) : null;
  return { state, initialDate, changedDate, note: NOTES[state] ?? null, extra: { ...classExtra(rng, c), ...extra } };
}

/** Class-specific extras that need nothing but the class (callers add place-bound ones). */
function classExtra(rng: Rng, c: ClassEntry): Record<string, unknown> {
  if (isCover(c)) {
    return { material: rng.pick(COVER_MATERIALS), shape: c.typeCode === '0104' ? '方形' : '圆形', sizeMm: rng.pick([600, 700, 800]) };
  }
  switch (c.typeCode) {
    case '0118': return { lampType: 'LED', heightM: rng.pick([8, 10, 12]), arms: rng.pick([1, 1, 2]) };
    case '0117': return { heightM: rng.pick([6, 8]), use: rng.pick(['监控', '指示牌', '通信']) };
    case '0125': return { tradeScope: rng.pick(['饮料', '零食', '书报']) };
    case '0126': return { num: rng.int(4, 12) };
    case '0403': return { spec: rng.pick(['1.2m×1.2m', '1.5m×1.5m']) };
    case '0301': return { toiletClass: rng.pick(['一类', '二类', '二类', '三类']) };
    case '0305': return { sorting: '四分类' };
    default: return {};
  }
}
