// Tests for the password policy: length in code points, common passwords, user code, and the legacy rule it replaces.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  checkPassword,
  isCommonPassword,
  normalizePassword,
  PASSWORD_MAX,
  PASSWORD_MIN,
} from "./password-policy.js";

const USER_CODE = "ABC1234";
const EMOJI = "😀";

function codePoints(text: string): number {
  return [...text].length;
}

describe("length", () => {
  test("7 characters are too short", () => {
    assert.equal(checkPassword("Zq8$w2L"), "password.tooShort");
  });

  test("exactly 8 characters are accepted", () => {
    const password = "Zq8$w2Lm";
    assert.equal(password.length, PASSWORD_MIN);
    assert.equal(checkPassword(password), null);
  });

  test("exactly 128 characters are accepted", () => {
    const password = "x7Q!".repeat(32);
    assert.equal(password.length, PASSWORD_MAX);
    assert.equal(checkPassword(password), null);
  });

  test("129 characters are too long", () => {
    assert.equal(checkPassword(`${"x7Q!".repeat(32)}z`), "password.tooLong");
  });

  test("length counts code points, not UTF-16 units: 128 emoji pass, 129 fail", () => {
    const ok = EMOJI.repeat(128);
    assert.equal(ok.length, 256);
    assert.equal(checkPassword(ok), null);
    assert.equal(checkPassword(EMOJI.repeat(129)), "password.tooLong");
  });

  test("7 emoji are too short even though they take 14 UTF-16 units", () => {
    assert.equal(checkPassword(EMOJI.repeat(7)), "password.tooShort");
  });

  test("length is counted after NFC normalisation", () => {
    // Eight UTF-16 units but four code points once composed.
    assert.equal(checkPassword("e\u0301".repeat(4)), "password.tooShort");
    assert.equal(checkPassword("e\u0301".repeat(8)), null);
  });

  test("a huge input is too long", () => {
    assert.equal(checkPassword("a".repeat(1_000_000)), "password.tooLong");
  });

  test("spaces, accents and emoji are allowed", () => {
    assert.equal(checkPassword("Où est la cabane à sucre ? 🍁"), null);
  });
});

describe("common passwords", () => {
  test("listed passwords are refused", () => {
    for (const password of [
      "password",
      "azertyuiop",
      "motdepasse",
      "soleil123",
      "guichet2026",
      "clicsequr",
    ]) {
      assert.equal(checkPassword(password), "password.common", password);
    }
  });

  test("listed passwords are refused whatever their case", () => {
    for (const password of ["PASSWORD", "MotDePasse", "AzertyUiop", "Guichet2026", "QUEBEC123"]) {
      assert.equal(checkPassword(password), "password.common", password);
    }
  });

  test("a listed password followed by digits and one final mark is refused", () => {
    for (const password of [
      "motdepasse2024!",
      "Password123",
      "azertyuiop1?",
      "Canadiens1909.",
      "guichet2026*",
    ]) {
      assert.equal(checkPassword(password), "password.common", password);
    }
  });

  test("a listed password followed by other words is not refused as common", () => {
    assert.equal(isCommonPassword("motdepasse de Gabrielle"), false);
    assert.equal(checkPassword("motdepasse de Gabrielle"), null);
  });

  test("property: a listed password with any digit suffix and an optional mark is common", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("motdepasse", "Azertyuiop", "password", "montreal1", "pgamr2026"),
        fc.stringMatching(/^[0-9]{0,8}$/),
        fc.constantFrom("", "!", "?", ".", "*"),
        (base, digits, mark) => {
          assert.equal(checkPassword(`${base}${digits}${mark}`), "password.common");
        },
      ),
    );
  });
});

describe("user code", () => {
  test("a password containing the user code is refused, whatever the case", () => {
    assert.equal(checkPassword("monABC1234secret", USER_CODE), "password.sameAsCode");
    assert.equal(checkPassword("xx-abc1234-yy", USER_CODE), "password.sameAsCode");
  });

  test("a password not containing the user code is accepted", () => {
    assert.equal(checkPassword("monABC123secret", USER_CODE), null);
  });

  test("without a user code the same password is accepted", () => {
    assert.equal(checkPassword("monABC1234secret"), null);
  });
});

describe("properties", () => {
  const alnum = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];

  test("property: every 8 to 12 ASCII letters and digits not common is accepted (legacy rule is a subset)", () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: fc.constantFrom(...alnum), minLength: 8, maxLength: 12 })
          .filter((password) => !isCommonPassword(password)),
        (password) => {
          assert.equal(checkPassword(password), null);
        },
      ),
      { numRuns: 500 },
    );
  });

  test("property: any 8 to 128 code points from a wide unicode alphabet not common is accepted", () => {
    const unit = fc.oneof(
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
      fc.string({ unit: "grapheme-composite", minLength: 1, maxLength: 1 }),
      fc.constantFrom("é", "è", "ç", "à", "ô", "œ", "É", "ß", " ", "\u00a0", "🍁", EMOJI, "中", "\u0301"),
    );
    fc.assert(
      fc.property(
        fc.string({ unit, minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX }).filter((password) => {
          // Composition may merge or split code points, so the bounds hold on the normalised form.
          const length = codePoints(normalizePassword(password));
          return length >= PASSWORD_MIN && length <= PASSWORD_MAX && !isCommonPassword(password);
        }),
        (password) => {
          assert.equal(checkPassword(password), null);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("normalisation", () => {
  test("composed and decomposed é normalise to the same string", () => {
    const composed = "caf\u00e9-cr\u00e8me";
    const decomposed = "cafe\u0301-cre\u0300me";
    assert.notEqual(composed, decomposed);
    assert.equal(normalizePassword(decomposed), normalizePassword(composed));
    assert.equal(normalizePassword(decomposed), composed);
  });

  test("normalising never truncates", () => {
    const long = "é".repeat(500);
    assert.equal(normalizePassword(long), long);
  });
});

describe("the shipped list", () => {
  const lines = readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8").split("\n");
  const entries = lines.filter((line) => line !== "" && !line.startsWith("#"));

  test("the list starts with a comment saying what it is for", () => {
    assert.match(lines[0] ?? "", /^# .*password/i);
  });

  test("the list holds 10,000 to 100,000 unique lowercase NFC entries of at least 8 characters", () => {
    assert.ok(entries.length >= 10_000 && entries.length <= 100_000, `${entries.length} entries`);
    assert.equal(new Set(entries).size, entries.length);
    for (const entry of entries) {
      assert.equal(entry, entry.normalize("NFC").toLowerCase().trim(), entry);
      assert.ok(codePoints(entry) >= PASSWORD_MIN, entry);
    }
  });

  test("the list includes French, Québec and portal-specific passwords", () => {
    for (const password of [
      "motdepasse",
      "jetaime123",
      "bonjour123",
      "canadiens",
      "quebec123",
      "pgamr2026",
    ]) {
      assert.ok(isCommonPassword(password), password);
    }
  });
});
