import {
  contractTypes,
  createRandom,
  paymentMethods,
  plans,
  regions,
  type CustomerFeatureRow,
} from "@/sandbox/data/telco";

/**
 * A real churn classifier for the emulated training job: logistic regression trained by mini-batch
 * gradient descent on standardised, one-hot encoded telco features. Small enough to train in
 * milliseconds, real enough that the learning rate and the epochs change the curves.
 */

const numericFeatures = [
  "tenure_months",
  "monthly_charges",
  "total_charges",
  "data_usage_gb",
  "call_minutes",
  "sms_count",
  "dropped_call_rate",
  "support_tickets",
  "late_payments",
  "num_lines",
  "device_age_months",
  "is_roaming_user",
] as const satisfies readonly (keyof CustomerFeatureRow)[];

const categoricalFeatures = [
  ["region", regions],
  ["contract_type", contractTypes],
  ["plan", plans],
  ["payment_method", paymentMethods],
] as const;

export const featureNames: string[] = [
  ...numericFeatures,
  ...categoricalFeatures.flatMap(([column, values]) => values.map((value) => `${column}=${value}`)),
];

export function encodeFeatures(row: CustomerFeatureRow): number[] {
  return [
    ...numericFeatures.map((name) => Number(row[name])),
    ...categoricalFeatures.flatMap(([column, values]) =>
      values.map((value) => (row[column] === value ? 1 : 0)),
    ),
  ];
}

export interface EpochMetrics {
  /** Log loss on the training split after the epoch. */
  loss: number;
  val_loss: number;
  /** ROC AUC, accuracy and F1 (threshold 0.5) on the validation split. */
  auc: number;
  accuracy: number;
  f1: number;
}

/** What a serving runtime needs to score a row: z = bias + Σ w·(x − mean)/std. */
export interface LogisticRegressionModel {
  featureNames: string[];
  means: number[];
  stds: number[];
  weights: number[];
  bias: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const epsilon = 1e-12;

export function logLoss(probabilities: number[], labels: number[]): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - epsilon, Math.max(epsilon, probabilities[i]));
    sum -= labels[i] ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}

/** ROC AUC by the rank-sum (Mann–Whitney) formula, with tied scores sharing their average rank. */
export function rocAuc(scores: number[], labels: number[]): number {
  const order = scores
    .map((score, index) => ({ score, label: labels[index] }))
    .sort((a, b) => a.score - b.score);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].score === order[start].score) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (order[k].label) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (!positives || !negatives) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function classificationMetrics(probabilities: number[], labels: number[], threshold = 0.5) {
  let tp = 0,
    fp = 0,
    fn = 0,
    correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const predicted = probabilities[i] >= threshold ? 1 : 0;
    if (predicted === labels[i]) correct++;
    if (predicted && labels[i]) tp++;
    else if (predicted) fp++;
    else if (labels[i]) fn++;
  }
  return { accuracy: correct / labels.length, f1: tp ? (2 * tp) / (2 * tp + fp + fn) : 0 };
}

export interface ChurnTrainerOptions {
  learningRate: number;
  /** Seeds the train/validation split and the batch order, so a run is reproducible (and resumable). */
  seed: number;
  batchSize?: number;
  validationShare?: number;
  /** L2 penalty on the weights. */
  l2?: number;
}

export function createChurnTrainer(rows: CustomerFeatureRow[], options: ChurnTrainerOptions) {
  const { learningRate, seed, batchSize = 512, validationShare = 0.2, l2 = 1e-4 } = options;
  if (!(learningRate > 0))
    throw new RangeError(`learning_rate must be a positive number, got ${learningRate}`);
  const random = createRandom(seed);
  const shuffled = shuffle(
    rows.map((_, index) => index),
    random.next,
  );
  const validationCount = Math.max(1, Math.round(rows.length * validationShare));
  const validationIndexes = shuffled.slice(0, validationCount);
  const trainIndexes = shuffled.slice(validationCount);
  if (trainIndexes.length < 2) throw new RangeError("the dataset is too small to train on");

  const raw = rows.map(encodeFeatures);
  const labels = rows.map((row) => row.churned);
  const width = featureNames.length;
  // Standardise with the training split's statistics only, as a real pipeline would.
  const means = Array.from(
    { length: width },
    (_, j) => trainIndexes.reduce((sum, i) => sum + raw[i][j], 0) / trainIndexes.length,
  );
  const stds = Array.from({ length: width }, (_, j) => {
    const variance =
      trainIndexes.reduce((sum, i) => sum + (raw[i][j] - means[j]) ** 2, 0) / trainIndexes.length;
    return Math.sqrt(variance) || 1;
  });
  const x = raw.map((features) => features.map((value, j) => (value - means[j]) / stds[j]));
  const weights = new Array<number>(width).fill(0);
  let bias = 0;
  let epochsDone = 0;

  const predict = (i: number) => {
    let z = bias;
    for (let j = 0; j < width; j++) z += weights[j] * x[i][j];
    return sigmoid(z);
  };

  function trainOneEpoch() {
    const order = shuffle(trainIndexes, random.next);
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      const gradient = new Array<number>(width).fill(0);
      let biasGradient = 0;
      for (const i of batch) {
        const error = predict(i) - labels[i];
        for (let j = 0; j < width; j++) gradient[j] += error * x[i][j];
        biasGradient += error;
      }
      for (let j = 0; j < width; j++)
        weights[j] -= learningRate * (gradient[j] / batch.length + l2 * weights[j]);
      bias -= (learningRate * biasGradient) / batch.length;
    }
    epochsDone++;
  }

  function evaluate(): EpochMetrics {
    const trainProbabilities = trainIndexes.map(predict);
    const validationProbabilities = validationIndexes.map(predict);
    const validationLabels = validationIndexes.map((i) => labels[i]);
    return {
      loss: logLoss(
        trainProbabilities,
        trainIndexes.map((i) => labels[i]),
      ),
      val_loss: logLoss(validationProbabilities, validationLabels),
      auc: rocAuc(validationProbabilities, validationLabels),
      ...classificationMetrics(validationProbabilities, validationLabels),
    };
  }

  return {
    get epochsDone() {
      return epochsDone;
    },
    trainSize: trainIndexes.length,
    validationSize: validationIndexes.length,
    /** Trains one more epoch and evaluates. */
    epoch(): EpochMetrics {
      trainOneEpoch();
      return evaluate();
    },
    evaluate,
    /** Replays epochs without evaluating: the same seed gives the same weights (used when resuming). */
    fastForward(epochs: number) {
      while (epochsDone < epochs) trainOneEpoch();
    },
    model(): LogisticRegressionModel {
      return {
        featureNames: [...featureNames],
        means: [...means],
        stds: [...stds],
        weights: [...weights],
        bias,
      };
    },
  };
}

function shuffle<T>(items: T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
