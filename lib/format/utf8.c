/* SPDX-License-Identifier: Apache-2.0 */
#include "format/utf8.h"

#include "util/cleanup.h"

struct range {
        uint32_t lo, hi;
};

static bool in_ranges(uint32_t cp, const struct range *r, size_t n)
{
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (cp < r[mid].lo)
                        hi = mid;
                else if (cp > r[mid].hi)
                        lo = mid + 1;
                else
                        return true;
        }
        return false;
}

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
        const unsigned char *u = (const unsigned char *)s;
        uint32_t c = u[0], min;
        size_t n;

        if (c < 0x80) {
                *cp = c;
                return 1;
        }
        if (c >= 0xC2 && c <= 0xDF)
                n = 2, c &= 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
                n = 3, c &= 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
                n = 4, c &= 0x07, min = 0x10000;
        else
                goto invalid;
        if (len < n)
                goto invalid;
        for (size_t i = 1; i < n; i++) {
                if ((u[i] & 0xC0) != 0x80)
                        goto invalid;
                c = (c << 6) | (u[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
                goto invalid;
        *cp = c;
        return n;
invalid:
        *cp = UTF8_RUNE_ERROR;
        return 1;
}

void utf8_encode(struct strbuf *sb, uint32_t cp)
{
        char b[4];

        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                cp = UTF8_RUNE_ERROR;
        if (cp < 0x80) {
                strbuf_addch(sb, (int)cp);
                return;
        }
        if (cp < 0x800) {
                b[0] = (char)(0xC0 | (cp >> 6));
                b[1] = (char)(0x80 | (cp & 0x3F));
                strbuf_add(sb, b, 2);
        } else if (cp < 0x10000) {
                b[0] = (char)(0xE0 | (cp >> 12));
                b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                b[2] = (char)(0x80 | (cp & 0x3F));
                strbuf_add(sb, b, 3);
        } else {
                b[0] = (char)(0xF0 | (cp >> 18));
                b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
                b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
                b[3] = (char)(0x80 | (cp & 0x3F));
                strbuf_add(sb, b, 4);
        }
}

size_t utf8_count(const char *s, size_t len)
{
        size_t n = 0;
        uint32_t cp;

        for (size_t i = 0; i < len; n++)
                i += utf8_decode(s + i, len - i, &cp);
        return n;
}

size_t utf8_prefix(const char *s, size_t len, size_t n)
{
        size_t i = 0;
        uint32_t cp;

        while (i < len && n-- > 0)
                i += utf8_decode(s + i, len - i, &cp);
        return i;
}

/* Zero-width: combining marks, zero-width and bidi format characters, variation selectors. */
static const struct range zero_width[] = {
        { 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x05BF, 0x05BF }, { 0x05C1, 0x05C2 },
        { 0x05C4, 0x05C5 }, { 0x05C7, 0x05C7 }, { 0x0610, 0x061A }, { 0x064B, 0x065F }, { 0x0670, 0x0670 },
        { 0x06D6, 0x06DC }, { 0x06DF, 0x06E4 }, { 0x06E7, 0x06E8 }, { 0x06EA, 0x06ED }, { 0x0900, 0x0902 },
        { 0x093A, 0x093A }, { 0x093C, 0x093C }, { 0x0941, 0x0948 }, { 0x094D, 0x094D }, { 0x0951, 0x0957 },
        { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
        { 0x200B, 0x200F }, { 0x202A, 0x202E }, { 0x2060, 0x2064 }, { 0x20D0, 0x20FF }, { 0x302A, 0x302D },
        { 0x3099, 0x309A }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF }, { 0xE0100, 0xE01EF },
};

/* East Asian Wide and Fullwidth, and emoji presentation. */
static const struct range wide[] = {
        { 0x1100, 0x115F },   { 0x231A, 0x231B },   { 0x2329, 0x232A },   { 0x23E9, 0x23EC },   { 0x23F0, 0x23F0 },
        { 0x23F3, 0x23F3 },   { 0x25FD, 0x25FE },   { 0x2614, 0x2615 },   { 0x2648, 0x2653 },   { 0x267F, 0x267F },
        { 0x2693, 0x2693 },   { 0x26A1, 0x26A1 },   { 0x26AA, 0x26AB },   { 0x26BD, 0x26BE },   { 0x26C4, 0x26C5 },
        { 0x26CE, 0x26CE },   { 0x26D4, 0x26D4 },   { 0x26EA, 0x26EA },   { 0x26F2, 0x26F3 },   { 0x26F5, 0x26F5 },
        { 0x26FA, 0x26FA },   { 0x26FD, 0x26FD },   { 0x2705, 0x2705 },   { 0x270A, 0x270B },   { 0x2728, 0x2728 },
        { 0x274C, 0x274C },   { 0x274E, 0x274E },   { 0x2753, 0x2755 },   { 0x2757, 0x2757 },   { 0x2795, 0x2797 },
        { 0x27B0, 0x27B0 },   { 0x27BF, 0x27BF },   { 0x2B1B, 0x2B1C },   { 0x2B50, 0x2B50 },   { 0x2B55, 0x2B55 },
        { 0x2E80, 0x3029 },   { 0x302E, 0x303E },   { 0x3041, 0x3098 },   { 0x309B, 0x33FF },   { 0x3400, 0x4DBF },
        { 0x4E00, 0x9FFF },   { 0xA000, 0xA4CF },   { 0xA960, 0xA97F },   { 0xAC00, 0xD7A3 },   { 0xF900, 0xFAFF },
        { 0xFE10, 0xFE19 },   { 0xFE30, 0xFE6F },   { 0xFF00, 0xFF60 },   { 0xFFE0, 0xFFE6 },   { 0x16FE0, 0x16FE4 },
        { 0x17000, 0x18AFF }, { 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E },
        { 0x1F191, 0x1F19A }, { 0x1F200, 0x1F251 }, { 0x1F300, 0x1F64F }, { 0x1F680, 0x1F6FF }, { 0x1F7E0, 0x1F7EB },
        { 0x1F90C, 0x1F9FF }, { 0x1FA70, 0x1FAFF }, { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
};

int utf8_cp_width(uint32_t cp)
{
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
                return 0;
        if (cp < 0x300)
                return 1;
        if (in_ranges(cp, zero_width, ARRAY_SIZE(zero_width)))
                return 0;
        return in_ranges(cp, wide, ARRAY_SIZE(wide)) ? 2 : 1;
}

size_t utf8_width(const char *s, size_t len)
{
        size_t w = 0;
        uint32_t cp;

        for (size_t i = 0; i < len;) {
                i += utf8_decode(s + i, len - i, &cp);
                w += (size_t)utf8_cp_width(cp);
        }
        return w;
}

/* Case pairs where the upper case letter is even and the lower one odd (or the reverse). */
static const struct range pairs_even_upper[] = {
        { 0x0100, 0x012F }, { 0x0132, 0x0137 }, { 0x014A, 0x0177 },
        { 0x0460, 0x0481 }, { 0x048A, 0x04BF }, { 0x04D0, 0x052F },
};
static const struct range pairs_odd_upper[] = {
        { 0x0139, 0x0148 },
        { 0x0179, 0x017E },
        { 0x04C1, 0x04CE },
};

static uint32_t pair_map(uint32_t cp, bool upper)
{
        bool odd = cp & 1;

        if (in_ranges(cp, pairs_even_upper, ARRAY_SIZE(pairs_even_upper))) {
                if (upper && odd)
                        return cp - 1;
                if (!upper && !odd)
                        return cp + 1;
        } else if (in_ranges(cp, pairs_odd_upper, ARRAY_SIZE(pairs_odd_upper))) {
                if (upper && !odd)
                        return cp - 1;
                if (!upper && odd)
                        return cp + 1;
        }
        return cp;
}

uint32_t utf8_toupper(uint32_t cp)
{
        if (cp >= 'a' && cp <= 'z')
                return cp - 32;
        if (cp < 0x80)
                return cp;
        if ((cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) || (cp >= 0x3B1 && cp <= 0x3CB && cp != 0x3C2) ||
            (cp >= 0x430 && cp <= 0x44F))
                return cp - 32;
        if (cp == 0xFF)
                return 0x178;
        if (cp == 0x3C2)
                return 0x3A3;
        if (cp >= 0x450 && cp <= 0x45F)
                return cp - 80;
        if (cp >= 0xFF41 && cp <= 0xFF5A)
                return cp - 32;
        if (cp == 0x131)
                return 'I';
        return pair_map(cp, true);
}

uint32_t utf8_tolower(uint32_t cp)
{
        if (cp >= 'A' && cp <= 'Z')
                return cp + 32;
        if (cp < 0x80)
                return cp;
        if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
            (cp >= 0x410 && cp <= 0x42F))
                return cp + 32;
        if (cp == 0x178)
                return 0xFF;
        if (cp >= 0x400 && cp <= 0x40F)
                return cp + 80;
        if (cp >= 0xFF21 && cp <= 0xFF3A)
                return cp + 32;
        if (cp == 0x130)
                return 'i';
        return pair_map(cp, false);
}

/* Spaces other than U+0020, format and control characters, private use and non-characters. */
static const struct range unprintable[] = {
        { 0x0080, 0x00A0 },   { 0x00AD, 0x00AD },    { 0x0600, 0x0605 }, { 0x061C, 0x061C },   { 0x06DD, 0x06DD },
        { 0x070F, 0x070F },   { 0x1680, 0x1680 },    { 0x180E, 0x180E }, { 0x2000, 0x200F },   { 0x2028, 0x202F },
        { 0x205F, 0x2064 },   { 0x2066, 0x206F },    { 0x3000, 0x3000 }, { 0xD800, 0xF8FF },   { 0xFDD0, 0xFDEF },
        { 0xFEFF, 0xFEFF },   { 0xFFF9, 0xFFFB },    { 0xFFFE, 0xFFFF }, { 0x110BD, 0x110BD }, { 0x1D173, 0x1D17A },
        { 0xE0001, 0xE007F }, { 0xF0000, 0x10FFFF },
};

bool utf8_is_print(uint32_t cp)
{
        if (cp < 0x80)
                return cp >= 0x20 && cp < 0x7F;
        if (cp > 0x10FFFF || (cp & 0xFFFE) == 0xFFFE)
                return false;
        return !in_ranges(cp, unprintable, ARRAY_SIZE(unprintable));
}

bool utf8_is_word(uint32_t cp)
{
        if (cp < 0x80)
                return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
        return utf8_is_print(cp);
}
