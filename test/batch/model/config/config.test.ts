import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyOverrides, parseOverride } from '../../../../src/batch/model/config/apply-overrides.ts';
import { ConfigError } from '../../../../src/batch/model/config/config-error.ts';
import {
  CONFIG_SECTIONS,
  SECTION_RULES,
  qualifiedKeys,
} from '../../../../src/batch/model/config/config-schema.ts';
import { PRESETS_DIR, listPresets, loadPreset } from '../../../../src/batch/model/config/load-preset.ts';
import { resolveConfig } from '../../../../src/batch/model/config/resolve-config.ts';
import { serializeConfig } from '../../../../src/batch/model/config/serialize-config.ts';
import { validateConfig } from '../../../../src/batch/model/config/validate-config.ts';
import { parseRuleText } from '../../../../src/batch/model/config/value-rule.ts';

const tmp = mkdtempSync(join(tmpdir(), 'signcast-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('presets', () => {
  it('baseline holds the numbers of issues 3 and 4 (the baseline notebook and its tfa AdamW)', () => {
    expect(loadPreset('baseline')).toEqual({
      model: {
        frames: 64,
        classes: 250,
        landmark_units: 384,
        units: 512,
        blocks: 2,
        heads: 8,
        mlp_ratio: 2,
        mlp_dropout: 0.3,
        classifier_dropout: 0.1,
        frame_mask: 0.25,
        label_smoothing: 0.25,
      },
      train: {
        epochs: 100,
        batch_all_signs_n: 4,
        sampler: 'with_replacement',
        lr_max: 1e-3,
        warmup_epochs: 0,
        warmup_method: 'log',
        num_cycles: 0.5,
        weight_decay_ratio: 0.05,
        clip_norm: 1,
        val_batch: 256,
        seed: 42,
        adam_beta1: 0.9,
        adam_beta2: 0.999,
        adam_epsilon: 1e-7,
        precision: 'fp32',
      },
    });
  });

  it('demo is a smaller model on the same recipe', () => {
    const demo = loadPreset('demo');
    const baseline = loadPreset('baseline');
    expect(demo.model.units).toBeLessThan(baseline.model.units);
    expect(demo.model.landmark_units).toBeLessThan(baseline.model.landmark_units);
    expect(demo.train.epochs).toBeLessThan(baseline.train.epochs);
    expect(demo.model.classes).toBe(250);
  });

  it('are stored exactly in the serialised form, so a run directory copy diffs cleanly against them', () => {
    expect(listPresets()).toEqual(['baseline', 'demo']);
    for (const name of listPresets()) {
      expect(readFileSync(join(PRESETS_DIR, `${name}.json`), 'utf8')).toBe(serializeConfig(loadPreset(name)));
    }
  });

  it('loads a preset by path, and names the shipped ones when a name is unknown', () => {
    const path = join(tmp, 'mine.json');
    writeFileSync(path, serializeConfig(applyOverrides(loadPreset('demo'), ['units=128'])));
    expect(loadPreset(path).model.units).toBe(128);
    const err = configError(() => loadPreset('tiny'));
    expect(err.code).toBe('preset_not_found');
    expect(err.message).toContain('baseline, demo');
    writeFileSync(join(tmp, 'broken.json'), '{"model": ');
    expect(configError(() => loadPreset(join(tmp, 'broken.json'))).code).toBe('unreadable');
  });
});

describe('--set overrides', () => {
  it('parses numbers (plain and scientific), enum strings and section-qualified keys', () => {
    const config = resolveConfig('baseline', [
      'units=256',
      'model.heads=4',
      'lr_max=3e-4',
      'mlp_dropout=0',
      'train.warmup_method=exp',
      'sampler=cycle',
      'seed=4294967295',
    ]);
    expect(config.model.units).toBe(256);
    expect(config.model.heads).toBe(4);
    expect(config.train.lr_max).toBe(3e-4);
    expect(config.model.mlp_dropout).toBe(0);
    expect(config.train.warmup_method).toBe('exp');
    expect(config.train.sampler).toBe('cycle');
    expect(config.train.seed).toBe(4294967295);
    // The preset itself is untouched.
    expect(loadPreset('baseline').model.units).toBe(512);
  });

  it('lets a later override win', () => {
    expect(resolveConfig('demo', ['epochs=3', 'epochs=5']).train.epochs).toBe(5);
  });

  it('rejects an unknown key with the list of valid keys', () => {
    const err = configError(() => resolveConfig('baseline', ['unit=256']));
    expect(err.code).toBe('unknown_key');
    expect(err.issues[0].key).toBe('unit');
    for (const key of qualifiedKeys()) expect(err.message).toContain(key);
    // A real key under the wrong section, and prototype names, are unknown too.
    expect(configError(() => resolveConfig('baseline', ['train.units=256'])).code).toBe('unknown_key');
    expect(configError(() => resolveConfig('baseline', ['toString=1'])).code).toBe('unknown_key');
  });

  it('rejects values of the wrong type', () => {
    for (const bad of [
      'units=abc',
      'units=1.5',
      'units=',
      'lr_max=0x10',
      'lr_max=Infinity',
      'lr_max=1e-3x',
      'warmup_method=3',
    ]) {
      const err = configError(() => resolveConfig('baseline', [bad]));
      expect([bad, err.code]).toEqual([bad, bad === 'warmup_method=3' ? 'out_of_range' : 'wrong_type']);
    }
  });

  it('rejects values out of range: probabilities in [0, 1), positive sizes, enum members', () => {
    for (const bad of [
      'frame_mask=1',
      'label_smoothing=-0.1',
      'units=0',
      'heads=-2',
      'lr_max=0',
      'sampler=random',
      'seed=4294967296',
    ]) {
      expect([bad, configError(() => resolveConfig('baseline', [bad])).code]).toEqual([bad, 'out_of_range']);
    }
  });

  it('checks the config as a whole after all overrides, so units and heads must divide', () => {
    const err = configError(() => resolveConfig('baseline', ['units=500']));
    expect(err.code).toBe('inconsistent');
    expect(err.message).toContain('not divisible by heads 8');
    expect(resolveConfig('baseline', ['units=500', 'heads=5']).model.units).toBe(500);
    expect(configError(() => resolveConfig('demo', ['warmup_epochs=31'])).code).toBe('inconsistent');
  });

  it('reports every bad override at once, and a malformed one as bad_override', () => {
    const err = configError(() => resolveConfig('baseline', ['units', 'nope=1', 'blocks=x']));
    expect(err.issues.map((i) => i.code)).toEqual(['bad_override', 'unknown_key', 'wrong_type']);
    expect(parseOverride('=3')).toMatchObject({ ok: false, issue: { code: 'bad_override' } });
  });

  it('parses booleans as true/false only', () => {
    const rule = { kind: 'boolean' } as const;
    expect(parseRuleText(rule, 'true')).toEqual({ ok: true, value: true });
    expect(parseRuleText(rule, 'false')).toEqual({ ok: true, value: false });
    expect(parseRuleText(rule, '1')).toMatchObject({ ok: false, code: 'wrong_type' });
  });
});

describe('validateConfig', () => {
  const good = (): Record<string, Record<string, unknown>> =>
    JSON.parse(serializeConfig(loadPreset('baseline'))) as Record<string, Record<string, unknown>>;

  it('lists unknown and missing keys and bad values together', () => {
    const raw = good();
    raw.model!.unitz = 5;
    delete raw.train!.epochs;
    raw.train!.clip_norm = '1';
    raw.extra = {};
    const err = configError(() => validateConfig(raw, 'x.json'));
    expect(err.issues.map((i) => [i.code, i.key])).toEqual([
      ['unknown_key', 'extra'],
      ['unknown_key', 'model.unitz'],
      ['missing_key', 'train.epochs'],
      ['wrong_type', 'train.clip_norm'],
    ]);
    expect(err.message).toMatch(/^x\.json: /);
    expect(err.message).toContain('valid model keys: frames, classes');
  });

  it('rejects a non-object and a missing section', () => {
    expect(configError(() => validateConfig([], 's')).code).toBe('wrong_type');
    const raw = good();
    delete raw.train;
    expect(configError(() => validateConfig(raw, 's')).issues).toEqual([
      { code: 'missing_key', key: 'train', detail: 'section missing' },
    ]);
  });

  it('reads a config written before train.precision existed as float32, and checks the key when present', () => {
    const raw = good();
    delete raw.train!.precision;
    expect(validateConfig(raw, 'old.json').train.precision).toBe('fp32');
    raw.train!.precision = 'bf16';
    expect(configError(() => validateConfig(raw, 'x.json')).issues.map((i) => [i.code, i.key])).toEqual([
      ['out_of_range', 'train.precision'],
    ]);
  });

  it('has every key in exactly one section (so --set needs no section)', () => {
    const keys = CONFIG_SECTIONS.flatMap((s) => Object.keys(SECTION_RULES[s]));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('serializeConfig', () => {
  it('gives the same bytes whatever the key order of the object, and round-trips', () => {
    const config = loadPreset('demo');
    const shuffled = {
      train: Object.fromEntries(Object.entries(config.train).reverse()),
      model: Object.fromEntries(Object.entries(config.model).reverse()),
    } as unknown as typeof config;
    const text = serializeConfig(shuffled);
    expect(text).toBe(serializeConfig(config));
    expect(text.endsWith('}\n')).toBe(true);
    expect(validateConfig(JSON.parse(text), 'round trip')).toEqual(config);
    expect(text).toContain('"adam_epsilon": 1e-7');
  });
});
