/**
 * What a copy reports as it goes: `done` of `total` rows of one step (`total` counted before the
 * step starts). The CLI turns these into a progress bar; tests ignore them or collect them.
 */
export interface CopyProgress {
  step: string;
  done: number;
  total: number;
}

export type OnProgress = (progress: CopyProgress) => void;
