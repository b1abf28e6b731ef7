/*
 * Realistic synthetic tabular data for the demo and the benchmarks: seeded, so the same seed
 * gives the same bytes (and so the same dataset version, deduplicated by content).
 * Rows are produced as CSV text chunks, never a whole file in memory.
 */

import { seededRandom } from "../random";

type Draw = {
  uniform: () => number;
  normal: (mean?: number, std?: number) => number;
  pick: <T>(items: readonly T[], weights?: readonly number[]) => T;
  chance: (p: number) => boolean;
};

function draws(seed: number): Draw {
  const uniform = seededRandom(seed);
  const normal = (mean = 0, std = 1) => {
    // Box–Muller; 1 - u keeps log away from 0.
    const u = 1 - uniform();
    const v = uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const pick = <T>(items: readonly T[], weights?: readonly number[]): T => {
    if (!weights) return items[Math.floor(uniform() * items.length)] as T;
    const total = weights.reduce((a, b) => a + b, 0);
    let r = uniform() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r <= 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  };
  return { uniform, normal, pick, chance: (p) => uniform() < p };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const round = (x: number, digits: number) => Number(x.toFixed(digits));

async function* csvChunks(header: string[], rows: number, makeRow: (i: number) => (string | number | boolean | null)[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let chunk = `${header.join(",")}\n`;
  for (let i = 0; i < rows; i++) {
    chunk += `${makeRow(i)
      .map((v) => (v === null ? "" : String(v)))
      .join(",")}\n`;
    if (chunk.length > 64 * 1024) {
      yield encoder.encode(chunk);
      chunk = "";
    }
  }
  if (chunk) yield encoder.encode(chunk);
}

export const MERCHANT_CATEGORIES = ["grocery", "gas", "restaurant", "online", "electronics", "travel", "jewelry", "pharmacy"] as const;

/**
 * Card transactions with a rare fraud label (~3%): amounts, time of day, merchant category,
 * country, card presence, distance from home, recent activity, account age, device. Fraud is
 * likelier for large amounts far from home at night, card-not-present, abroad, on new accounts
 * and in risky categories, plus noise, so a good model reaches ROC AUC ≈ 0.9, not 1.
 */
export const CARD_FRAUD_HEADER = ["transaction_time", "amount", "hour", "merchant_category", "country", "card_present", "distance_from_home_km", "tx_last_24h", "avg_amount_30d", "account_age_days", "device", "is_fraud"] as const;

/**
 * One card transaction per call. With `drift`, the world has changed the way monitoring must
 * notice: amounts and distances grow (a new customer segment, more travel), card-not-present
 * mobile payments dominate, and fraud follows another pattern (bursts of transactions on mobile
 * devices, no longer the night or the distance) — a model trained before it ranks worse.
 */
function cardFraudMaker(seed: number, drift: boolean) {
  const d = draws(seed);
  const countries = ["US", "GB", "DE", "FR", "CA", "BR", "IN", "NG"] as const;
  const countryWeights = drift ? [35, 8, 7, 6, 8, 12, 12, 12] : [60, 8, 7, 6, 8, 4, 4, 3];
  const categoryRisk: Record<string, number> = { grocery: -0.6, gas: 0.1, restaurant: -0.4, online: 0.8, electronics: 1.0, travel: 0.6, jewelry: 1.3, pharmacy: -0.5 };
  const start = Date.UTC(2026, 0, 1) + (drift ? 120 * 86_400_000 : 0);
  return (i: number): (string | number | boolean | null)[] => {
    const hour = d.pick([...Array(24).keys()], [2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 10, 11, 10, 9, 9, 9, 10, 10, 9, 8, 6, 4, 3]);
    const category = d.pick(MERCHANT_CATEGORIES, drift ? [10, 6, 10, 40, 16, 10, 2, 6] : [25, 12, 18, 20, 8, 6, 2, 9]);
    const country = d.pick(countries, countryWeights);
    const cardPresent = category !== "online" && d.chance(drift ? 0.4 : 0.8);
    const avg30 = round(Math.exp(d.normal(drift ? 4.5 : 3.6, 0.6)), 2);
    const amount = round(Math.max(0.5, avg30 * Math.exp(d.normal(0, 0.7))), 2);
    const distance = round(Math.abs(d.normal(0, 1)) * (country === "US" ? (drift ? 60 : 15) : 900), 1);
    const tx24 = Math.max(0, Math.round(Math.abs(d.normal(drift ? 5 : 3, 2.5))));
    const ageDays = Math.max(1, Math.round(Math.exp(d.normal(6.2, 1.1))));
    const device = cardPresent ? "pos" : d.pick(["mobile", "desktop"] as const, drift ? [8, 2] : [6, 4]);
    const night = hour <= 5 ? 1 : 0;
    const logit = drift
      ? -4.2 + 0.5 * Math.max(0, tx24 - 5) + (device === "mobile" ? 1.4 : -0.6) - 0.6 * Math.log(amount / avg30 + 0.1) + d.normal(0, 0.8)
      : -5.1 +
        1.1 * Math.log(amount / avg30 + 0.1) +
        0.9 * night +
        (cardPresent ? -0.9 : 0.6) +
        (country === "US" ? 0 : 0.7) +
        0.45 * Math.log1p(distance / 50) +
        0.12 * Math.max(0, tx24 - 4) -
        0.35 * Math.log(ageDays / 365 + 0.05) +
        (categoryRisk[category] ?? 0) +
        d.normal(0, 0.8);
    const fraud = d.chance(sigmoid(logit)) ? 1 : 0;
    const time = new Date(start + i * 137_000 + Math.floor(d.uniform() * 60_000)).toISOString();
    // A few missing values, as real exports have.
    const avgCell = d.chance(0.01) ? null : avg30;
    const distanceCell = d.chance(0.015) ? null : distance;
    return [time, amount, hour, category, country, cardPresent, distanceCell, tx24, avgCell, ageDays, device, fraud];
  };
}

export function cardFraudCsv(options: { rows?: number; seed?: number; drift?: boolean } = {}): AsyncGenerator<Uint8Array> {
  return csvChunks([...CARD_FRAUD_HEADER], options.rows ?? 20_000, cardFraudMaker(options.seed ?? 7, options.drift ?? false));
}

/** The same transactions as objects keyed by column (for traffic: predictions and their labels). */
export function cardFraudRecords(options: { rows: number; seed?: number; drift?: boolean }): Record<string, string | number | boolean | null>[] {
  const make = cardFraudMaker(options.seed ?? 7, options.drift ?? false);
  return Array.from({ length: options.rows }, (_, i) => Object.fromEntries(make(i).map((v, j) => [CARD_FRAUD_HEADER[j] as string, v])));
}

export const NEIGHBOURHOODS = ["Riverside", "Old Town", "Hillcrest", "Lakeview", "Industrial", "Suburbia", "Downtown"] as const;

/**
 * House sales: size, rooms, age, lot, neighbourhood, garage, condition, distance to the centre,
 * sale date → price. Price is log-linear in the features with noise (R² ≈ 0.85–0.9 reachable).
 */
export function housePricesCsv(options: { rows?: number; seed?: number } = {}): AsyncGenerator<Uint8Array> {
  const rows = options.rows ?? 6_000;
  const d = draws(options.seed ?? 11);
  const premium: Record<string, number> = { Riverside: 0.15, "Old Town": 0.1, Hillcrest: 0.25, Lakeview: 0.3, Industrial: -0.25, Suburbia: 0, Downtown: 0.2 };
  const start = Date.UTC(2022, 0, 1);
  const header = ["sold_at", "sqft", "bedrooms", "bathrooms", "year_built", "lot_sqft", "neighbourhood", "garage", "condition", "distance_to_center_km", "price"];
  return csvChunks(header, rows, (i) => {
    const neighbourhood = d.pick(NEIGHBOURHOODS, [12, 10, 8, 6, 5, 20, 9]);
    const sqft = Math.round(Math.max(450, d.normal(1750, 550)));
    const bedrooms = Math.max(1, Math.min(7, Math.round(sqft / 600 + d.normal(0, 0.7))));
    const bathrooms = Math.max(1, Math.min(5, Math.round(bedrooms * 0.6 + d.normal(0.3, 0.5))));
    const yearBuilt = Math.round(Math.min(2025, Math.max(1900, d.normal(1985, 22))));
    const lot = Math.round(Math.max(800, sqft * (1.5 + Math.abs(d.normal(1.5, 1.2)))));
    const garage = d.chance(neighbourhood === "Downtown" ? 0.3 : 0.75);
    const condition = d.pick([1, 2, 3, 4, 5] as const, [3, 10, 45, 30, 12]);
    const distance = round(Math.abs(d.normal(neighbourhood === "Downtown" ? 2 : 9, 5)), 1);
    const soldAt = new Date(start + Math.floor((i / rows) * 4 * 365 * 86_400_000)).toISOString().slice(0, 10);
    // Sales are in date order; the market rises ~4% a year over the 4 years.
    const elapsed = i / rows;
    const logPrice =
      12.0 +
      0.75 * Math.log(sqft / 1000) +
      0.05 * bathrooms +
      0.08 * Math.log(lot / 1000) +
      (premium[neighbourhood] ?? 0) +
      (garage ? 0.05 : 0) +
      0.06 * (condition - 3) -
      0.0025 * (2025 - yearBuilt) -
      0.012 * distance +
      0.16 * elapsed +
      d.normal(0, 0.1);
    const price = Math.round(Math.exp(logPrice) / 100) * 100;
    const sqftCell = d.chance(0.005) ? null : sqft;
    return [soldAt, sqftCell, bedrooms, bathrooms, yearBuilt, lot, neighbourhood, garage, condition, distance, price];
  });
}

/** Reads a chunked source into a string (tests, small data only). */
export async function collectText(source: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of source) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
