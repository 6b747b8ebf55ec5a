/**
 * Compact wire form for chart series, so a comparison of 100 runs × 20 metrics stays well under 2 MB
 * of JSON. Steps and timestamps are zigzag-varint deltas; values are 16-bit codes over the series'
 * own [lo, hi] (in log space when every value is positive and spans over two decades, so small losses
 * keep their relative precision). The series' true minimum and maximum decode exactly (codes 0 and
 * max), NaN and ±Infinity have codes of their own. Everything is base64 text.
 */

export interface EncodedSeries {
  /** Number of points. */
  n: number;
  /** Steps: base64 zigzag-varint deltas (first delta from 0). */
  s: string;
  /** Timestamps (epoch ms), same encoding; only when asked for. */
  t?: string;
  /** Values: base64 little-endian uint16 codes. */
  v: string;
  lo: number | null;
  hi: number | null;
  /** Quantised in log space. */
  log?: 1;
}

export interface PlainSeries {
  steps: ArrayLike<number>;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

const nanCode = 65535;
const positiveInfinityCode = 65534;
const negativeInfinityCode = 65533;
const maxFiniteCode = 65532;
const logSpanThreshold = 100;

export function encodeSeries(series: PlainSeries, options: { withTimestamps: boolean }): EncodedSeries {
  const count = series.values.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < count; i++) {
    const value = series.values[i];
    if (!Number.isFinite(value)) continue;
    if (value < lo) lo = value;
    if (value > hi) hi = value;
  }
  const hasFinite = lo <= hi;
  const isLog = hasFinite && lo > 0 && hi / lo > logSpanThreshold;
  const scaleLo = isLog ? Math.log(lo) : lo;
  const scaleSpan = (isLog ? Math.log(hi) : hi) - scaleLo;
  const codes = new Uint8Array(count * 2);
  for (let i = 0; i < count; i++) {
    const value = series.values[i];
    let code: number;
    if (Number.isNaN(value)) code = nanCode;
    else if (value === Infinity) code = positiveInfinityCode;
    else if (value === -Infinity) code = negativeInfinityCode;
    else if (value === hi) code = maxFiniteCode;
    else if (scaleSpan === 0 || value === lo) code = 0;
    else
      code = Math.min(
        maxFiniteCode - 1,
        Math.max(1, Math.round((((isLog ? Math.log(value) : value) - scaleLo) / scaleSpan) * maxFiniteCode)),
      );
    codes[i * 2] = code & 0xff;
    codes[i * 2 + 1] = code >> 8;
  }
  return {
    n: count,
    s: toBase64(encodeDeltas(series.steps)),
    ...(options.withTimestamps ? { t: toBase64(encodeDeltas(series.timestamps)) } : {}),
    v: toBase64(codes),
    lo: hasFinite ? lo : null,
    hi: hasFinite ? hi : null,
    ...(isLog ? { log: 1 as const } : {}),
  };
}

/** Columns, not point objects: a comparison decodes up to 2,000 series at once in the browser (docs/decisions/017). */
export interface DecodedSeries {
  steps: Float64Array;
  timestamps: Float64Array | null;
  values: Float64Array;
}

export function decodeSeries(encoded: EncodedSeries): DecodedSeries {
  const steps = decodeDeltas(fromBase64(encoded.s), encoded.n);
  const timestamps = encoded.t === undefined ? null : decodeDeltas(fromBase64(encoded.t), encoded.n);
  const codes = fromBase64(encoded.v);
  const lo = encoded.lo ?? 0;
  const hi = encoded.hi ?? 0;
  const scaleLo = encoded.log ? Math.log(lo) : lo;
  const scaleSpan = (encoded.log ? Math.log(hi) : hi) - scaleLo;
  const values = new Float64Array(encoded.n);
  for (let i = 0; i < encoded.n; i++) {
    const code = codes[i * 2] | (codes[i * 2 + 1] << 8);
    if (code === nanCode) values[i] = NaN;
    else if (code === positiveInfinityCode) values[i] = Infinity;
    else if (code === negativeInfinityCode) values[i] = -Infinity;
    else if (code === 0) values[i] = lo;
    else if (code === maxFiniteCode) values[i] = hi;
    else {
      const scaled = scaleLo + (code / maxFiniteCode) * scaleSpan;
      values[i] = encoded.log ? Math.exp(scaled) : scaled;
    }
  }
  return { steps, timestamps, values };
}

function encodeDeltas(numbers: ArrayLike<number>): Uint8Array {
  const bytes: number[] = [];
  let previous = 0;
  for (let i = 0; i < numbers.length; i++) {
    const delta = numbers[i] - previous;
    previous = numbers[i];
    // Zigzag in floating point: deltas of epoch milliseconds can pass 2^31.
    let zigzag = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    while (zigzag >= 128) {
      bytes.push((zigzag % 128) | 128);
      zigzag = Math.floor(zigzag / 128);
    }
    bytes.push(zigzag);
  }
  return Uint8Array.from(bytes);
}

function decodeDeltas(bytes: Uint8Array, count: number): Float64Array {
  const numbers = new Float64Array(count);
  let offset = 0;
  let previous = 0;
  for (let i = 0; i < count; i++) {
    let zigzag = 0;
    let scale = 1;
    let byte: number;
    do {
      byte = bytes[offset++];
      zigzag += (byte & 127) * scale;
      scale *= 128;
    } while (byte & 128);
    const delta = zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    previous += delta;
    numbers[i] = previous;
  }
  return numbers;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Largest error decoding can introduce into a finite value of this series (0 at lo and hi). */
export function quantisationError(encoded: Pick<EncodedSeries, "lo" | "hi" | "log">): {
  absolute: number;
  relative: number;
} {
  if (encoded.lo === null || encoded.hi === null) return { absolute: 0, relative: 0 };
  if (encoded.log)
    return {
      absolute: Infinity,
      relative: Math.expm1(Math.log(encoded.hi / encoded.lo) / maxFiniteCode / 2),
    };
  return { absolute: (encoded.hi - encoded.lo) / maxFiniteCode / 2, relative: Infinity };
}
