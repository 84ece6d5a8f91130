// The right (or wrong) answers to an exam, from the content files through the CLI
// (`taphuan content answer-key`), never from an HTTP response; and filling them in on the exam page.
import { execFileSync } from 'node:child_process';
import { expect, Locator, Page } from '@playwright/test';

type Choice = { text: string; fraction: number };
type Kind =
  | { type: 'multiple_choice'; single: boolean; choices: Choice[] }
  | { type: 'true_false'; answer: boolean }
  | { type: 'short_answer'; answers: Choice[] }
  | { type: 'numerical'; answers: { value: number; tolerance: number; fraction: number }[] }
  | { type: 'matching'; pairs: { question: string; answer: string }[] }
  | { type: 'essay' }
  | { type: 'description' };
type Question = { name: string; kind: Kind };

const profile = process.env.E2E_PROFILE ?? 'release';

export function answerKey(course: string): Map<string, Question> {
  const out = execFileSync(`../target/${profile}/taphuan`, ['content', 'answer-key', course, '--dir', '../content'], {
    encoding: 'utf8',
  });
  const pool = JSON.parse(out) as Question[];
  return new Map(pool.map((q) => [q.name, q]));
}

/** Answers every question on the exam page, all right or all wrong. */
export async function answerAll(page: Page, key: Map<string, Question>, right: boolean) {
  const questions = page.locator('fieldset.question');
  const n = await questions.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const fs = questions.nth(i);
    const name = (await fs.getAttribute('data-q')) ?? '';
    const q = key.get(name);
    if (!q) throw new Error(`question ${name} is not in the answer key`);
    await answer(fs, q.kind, right);
  }
}

async function answer(fs: Locator, kind: Kind, right: boolean) {
  switch (kind.type) {
    case 'multiple_choice': {
      if (kind.single) {
        const pick = right
          ? kind.choices.find((c) => c.fraction >= 0.999)!
          : kind.choices.find((c) => c.fraction <= 0)!;
        await fs.getByRole('radio', { name: pick.text, exact: true }).check();
      } else {
        const picks = right ? kind.choices.filter((c) => c.fraction > 0) : kind.choices.filter((c) => c.fraction < 0);
        for (const c of picks) await fs.getByRole('checkbox', { name: c.text, exact: true }).check();
      }
      return;
    }
    case 'true_false': {
      const say = right === kind.answer ? 'Đúng' : 'Sai';
      await fs.getByRole('radio', { name: say, exact: true }).check();
      return;
    }
    case 'short_answer': {
      const best = kind.answers.find((a) => a.fraction >= 0.999)!;
      await fs.getByRole('textbox', { name: 'Câu trả lời' }).fill(right ? best.text.replace(/\*/g, '') : 'không biết');
      return;
    }
    case 'numerical': {
      const best = kind.answers.find((a) => a.fraction >= 0.999 && a.tolerance < 1e300)!;
      await fs.getByRole('textbox', { name: 'Câu trả lời' }).fill(right ? String(best.value) : '-987654');
      return;
    }
    case 'matching': {
      if (!right) return; // left unanswered: no credit
      const rows = fs.locator('label.match-row');
      const count = await rows.count();
      for (let i = 0; i < count; i++) {
        const row = rows.nth(i);
        const left = (await row.locator('span').first().innerText()).trim();
        const pair = kind.pairs.find((p) => p.question === left);
        if (!pair) throw new Error(`no pair for ${left}`);
        await row.locator('select').selectOption({ label: pair.answer });
      }
      return;
    }
    default:
      return;
  }
}
