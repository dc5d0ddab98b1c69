/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Names for containers and pods created without one: ADJECTIVE_SURNAME, 114 x 97 of them, so that
 * concurrent creates rarely draw the same one (the callers draw again when the name is taken).
 */
#include "util/random-name.h"

#include "util/random.h"
#include "util/xalloc.h"

static const char *const adjectives[] = {
        "admiring", "agile",    "amazing",  "ample",      "ardent",   "astute",   "awesome",  "blissful",  "bold",
        "brave",    "bright",   "brisk",    "calm",       "candid",   "careful",  "cheerful", "clever",    "cordial",
        "cool",     "cosmic",   "crisp",    "curious",    "daring",   "dazzling", "deft",     "devoted",   "diligent",
        "dreamy",   "eager",    "earnest",  "elated",     "elegant",  "epic",     "fair",     "faithful",  "fearless",
        "fervent",  "festive",  "fond",     "focused",    "frank",    "friendly", "gallant",  "gentle",    "gifted",
        "glad",     "gleeful",  "graceful", "great",      "happy",    "hardy",    "hearty",   "heuristic", "honest",
        "hopeful",  "humble",   "inspired", "intrepid",   "jolly",    "jovial",   "keen",     "kind",      "laughing",
        "lively",   "loyal",    "lucid",    "magical",    "merry",    "mellow",   "mindful",  "modest",    "musing",
        "nifty",    "nimble",   "noble",    "optimistic", "patient",  "peaceful", "playful",  "polite",    "proud",
        "quiet",    "quirky",   "radiant",  "relaxed",    "resolute", "serene",   "sharp",    "sincere",   "smart",
        "snappy",   "spirited", "steady",   "stoic",      "sunny",    "sweet",    "swift",    "tender",    "thirsty",
        "tidy",     "tranquil", "trusting", "upbeat",     "valiant",  "vibrant",  "vigilant", "vivid",     "warm",
        "wise",     "witty",    "wizardly", "youthful",   "zealous",  "zen",
};
static const char *const nouns[] = {
        "agnesi",    "archimedes",  "babbage",    "banach",     "bardeen",   "bell",      "bernoulli",    "bohr",
        "boltzmann", "boole",       "born",       "bose",       "brahe",     "cantor",    "carson",       "cauchy",
        "cerf",      "chandra",     "curie",      "darwin",     "dedekind",  "descartes", "dijkstra",     "dirac",
        "einstein",  "euclid",      "euler",      "faraday",    "fermat",    "fermi",     "feynman",      "fibonacci",
        "fourier",   "franklin",    "galileo",    "galois",     "gauss",     "germain",   "goodall",      "hamilton",
        "hawking",   "heisenberg",  "hertz",      "hilbert",    "hodgkin",   "hopper",    "hubble",       "huygens",
        "hypatia",   "jackson",     "joule",      "kepler",     "khayyam",   "knuth",     "kovalevskaya", "lagrange",
        "lamarr",    "laplace",     "leakey",     "leibniz",    "lovelace",  "mayer",     "maxwell",      "mcclintock",
        "meitner",   "mendel",      "mirzakhani", "napier",     "newton",    "noether",   "ohm",          "pascal",
        "pasteur",   "pauli",       "planck",     "poincare",   "ramanujan", "riemann",   "ritchie",      "rutherford",
        "sagan",     "schrodinger", "shannon",    "somerville", "stallman",  "swartz",    "tesla",        "thompson",
        "torvalds",  "turing",      "volta",      "wiles",      "wing",      "wozniak",   "wright",       "yalow",
        "yonath",
};

char *random_name(void)
{
        unsigned r[2];

        random_bytes(r, sizeof(r));
        return xasprintf("%s_%s", adjectives[r[0] % (sizeof(adjectives) / sizeof(adjectives[0]))],
                         nouns[r[1] % (sizeof(nouns) / sizeof(nouns[0]))]);
}
