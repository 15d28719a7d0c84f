#include "blind_index.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace pact::intake {
namespace {

// Versioned domain separation: a token can never equal any other keyed hash made with this key,
// and a change to the normalisation below (which changes tokens) must bump it and re-index.
constexpr std::string_view kTokenDomain = "pact.blind-index.v1";

// ---------------------------------------------------------------------------------------------
// UTF-8 decoding (only what the normalisers need: invalid bytes are skipped, never guessed).

constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point starting at `at` and advances `at` past it.
char32_t next_code_point(std::string_view text, std::size_t& at) {
  const auto lead = static_cast<unsigned char>(text[at++]);
  int continuation_bytes = 0;
  char32_t code_point = 0;
  if (lead < 0x80) return lead;
  if ((lead & 0xE0) == 0xC0) {
    continuation_bytes = 1;
    code_point = lead & 0x1FU;
  } else if ((lead & 0xF0) == 0xE0) {
    continuation_bytes = 2;
    code_point = lead & 0x0FU;
  } else if ((lead & 0xF8) == 0xF0) {
    continuation_bytes = 3;
    code_point = lead & 0x07U;
  } else {
    return kInvalidCodePoint;
  }
  for (int i = 0; i < continuation_bytes; ++i) {
    if (at >= text.size() || (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80) return kInvalidCodePoint;
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[at++]) & 0x3FU);
  }
  return code_point;
}

// ---------------------------------------------------------------------------------------------
// Document numbers.

// Cyrillic capitals that look like Latin ones. Officers copying a passport number on a Cyrillic
// keyboard type these; the document itself (ICAO 9303 machine-readable zone) only has Latin.
char latin_twin_of_cyrillic(char32_t upper_cyrillic) {
  switch (upper_cyrillic) {
    case U'А': return 'A';
    case U'В': return 'B';
    case U'Е': return 'E';
    case U'К': return 'K';
    case U'М': return 'M';
    case U'Н': return 'H';
    case U'О': return 'O';
    case U'Р': return 'P';
    case U'С': return 'C';
    case U'Т': return 'T';
    case U'Х': return 'X';
    case U'У': return 'Y';
    case U'І': return 'I';
    case U'Ј': return 'J';
    case U'Ѕ': return 'S';
    default: return '\0';
  }
}

bool is_cyrillic_lower_of_basic_block(char32_t c) { return c >= U'а' && c <= U'я'; }
bool is_cyrillic_lower_of_extended_block(char32_t c) { return c >= U'ѐ' && c <= U'џ'; }

// The one character a code point contributes to a document number, or '\0' for none.
char document_character(char32_t c) {
  if (c >= 'a' && c <= 'z') return static_cast<char>(c - 'a' + 'A');
  if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return static_cast<char>(c);
  // Arabic-Indic and Persian digits, as written on Middle Eastern documents.
  if (c >= U'٠' && c <= U'٩') return static_cast<char>('0' + (c - U'٠'));
  if (c >= U'۰' && c <= U'۹') return static_cast<char>('0' + (c - U'۰'));
  if (is_cyrillic_lower_of_basic_block(c)) return latin_twin_of_cyrillic(c - 0x20);
  if (is_cyrillic_lower_of_extended_block(c)) return latin_twin_of_cyrillic(c - 0x50);
  return latin_twin_of_cyrillic(c);
}

// ---------------------------------------------------------------------------------------------
// Names, step 1: transliteration to lower-case ASCII.

// Why this chain: NFC so that decomposed input (Г + U+0301) still meets the Macedonian rules; the
// BGN romanisations give the letters Serbian and Macedonian officers actually write (Љ→lj, Њ→nj,
// Џ→dž, Ђ→đ, Ћ→ć, Ѓ→ǵ, Ќ→ḱ, Ѕ→dz) where plain Any-Latin (ISO 9) gives l̂, n̂, d̂, ẑ; Any-Latin then
// covers every other script (Arabic, Persian, Russian, Greek …); Latin-ASCII drops diacritics.
constexpr char kTransliteratorId[] =
    "NFC; Macedonian-Latin/BGN; Serbian-Latin/BGN; Any-Latin; Latin-ASCII; Lower";

std::unique_ptr<icu::Transliterator> create_transliterator() {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  std::unique_ptr<icu::Transliterator> transliterator(icu::Transliterator::createInstance(
      icu::UnicodeString(kTransliteratorId, -1, US_INV), UTRANS_FORWARD, parse_error, status));
  if (U_FAILURE(status) || !transliterator) {
    throw std::runtime_error(std::string("ICU transliterator unavailable: ") + u_errorName(status));
  }
  return transliterator;
}

// Creating the compound transliterator parses rule sets and costs milliseconds: done once.
const icu::Transliterator& shared_transliterator_prototype() {
  static const std::unique_ptr<icu::Transliterator> prototype = create_transliterator();
  return *prototype;
}

// transliterate() must not run on one instance from several threads at once, and intake calls
// this from every executor thread: each thread gets its own clone (cheap: clones share the
// parsed rules, and ICU itself serialises access to that shared data).
icu::Transliterator& transliterator_of_this_thread() {
  thread_local std::unique_ptr<icu::Transliterator> own;
  if (!own) {
    static std::mutex clone_mutex;
    std::lock_guard lock(clone_mutex);
    own.reset(shared_transliterator_prototype().clone());
    if (!own) throw std::runtime_error("ICU transliterator could not be cloned");
  }
  return *own;
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string to_ascii_lower_case(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

std::string transliterate_to_lower_ascii(std::string_view name) {
  // For ASCII input the whole ICU chain is exactly lower-casing, at a fraction of the cost; most
  // names at a Balkan transit centre are typed in ASCII.
  if (is_ascii(name)) return to_ascii_lower_case(name);
  icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  transliterator_of_this_thread().transliterate(text);
  std::string transliterated;
  text.toUTF8String(transliterated);
  return transliterated;
}

bool is_arabic_script(char32_t c) {
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF) ||
         (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

bool contains_arabic_script(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    if (is_arabic_script(next_code_point(text, at))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Names, step 2: words.

// ICU writes ayn as U+02BF (ʿ) and hamza as U+02BE (ʾ); both are UTF-8 two-byte sequences.
constexpr std::string_view kAyn = "\xCA\xBF";
constexpr std::string_view kHamza = "\xCA\xBE";
// In Arabic-script names the ayn is kept as '3' (the chat-alphabet letter for it): it is what
// tells apart skeletons such as سعيد "s3yd" (Saeed) and سيد "syd" (Sayyid).
constexpr char kAynMarker = '3';

// Runs of a–z. Apostrophes, ayn and hamza join (O'Brien = OBrien, Sa'id = Said); anything else
// (spaces, hyphens, dots, digits, what transliteration could not reduce to ASCII) separates.
std::vector<std::string> words_of(std::string_view transliterated, bool keep_ayn) {
  std::vector<std::string> words(1);
  for (std::size_t at = 0; at < transliterated.size(); ++at) {
    const char c = transliterated[at];
    const std::string_view rest = transliterated.substr(at);
    if (c >= 'a' && c <= 'z') {
      words.back().push_back(c);
    } else if (rest.starts_with(kAyn)) {
      if (keep_ayn) words.back().push_back(kAynMarker);
      ++at;
    } else if (rest.starts_with(kHamza)) {
      ++at;
    } else if (c != '\'' && !words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

// "Abd" (servant of) starts compound names written as one word or two: عبدالله / عبد الله,
// Abdullah / Abd Allah, Abdulrahman / Abdul Rahman. Joining it to the next word makes the two
// writings one. (Abdel Rahman vs Abdulrahman still differ: abdel/abdul do not fold together.)
void join_abd_compounds(std::vector<std::string>& words) {
  static const std::vector<std::string_view> kAbdForms = {"abd", "abdul", "abdel", "abdal", "abdol", "abdu", "3bd"};
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (std::find(kAbdForms.begin(), kAbdForms.end(), words[i]) == kAbdForms.end()) continue;
    words[i] += words[i + 1];
    words.erase(words.begin() + static_cast<std::ptrdiff_t>(i) + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Names, step 3: phonetic folding of one word.
//
// The same name reaches us spelled by officers of different languages (Petrović, Petrovic,
// Petrovich; Djordje, Đorđe; Gjorgji, Ǵorǵi; Hussein, Husein, Hossein). Folding erases the
// differences that carry no information about *which* name it is:
//   1. ph→f; x→ks, w→v, q→k; dj→d, gj→g, kj→k (ASCII spellings of Đ, Ѓ, Ќ without diacritics);
//   2. h after a consonant is dropped (ch/sh/zh/kh/th/gh/dh → c/s/z/k/t/g/d; Petrovich =
//      Petrović), and so is a word-final h after a vowel (Abdullah = Abdulla, Fatimah = Fatima);
//   3. vowels fold in two classes: o,u → u and e,i,y → i (a stays: Ivan ≠ Ivana);
//   4. doubled letters collapse (Mohammed = Mohamed, Hassan = Hasan).
// It deliberately does NOT fold j/y (Jelena ≠ Yelena), a with e (Ahmad ≠ Ahmed, hence the table
// of common names below), nor drop vowels (Arabic script has none to compare with).

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

std::string respell_letters(std::string_view word) {
  std::string respelled;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    const char next = i + 1 < word.size() ? word[i + 1] : '\0';
    if (c == 'p' && next == 'h') {
      respelled.push_back('f');
      ++i;
    } else if ((c == 'd' || c == 'g' || c == 'k') && next == 'j') {
      respelled.push_back(c);
      ++i;
    } else if (c == 'x') {
      respelled += "ks";
    } else if (c == 'w') {
      respelled.push_back('v');
    } else if (c == 'q') {
      respelled.push_back('k');
    } else if (c >= 'a' && c <= 'z') {
      respelled.push_back(c);  // anything else (the ayn marker) carries no Latin sound
    }
  }
  return respelled;
}

std::string drop_silent_h(std::string_view word) {
  std::string kept;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const bool after_consonant = i > 0 && !is_vowel(word[i - 1]);
    const bool word_final_after_vowel = i > 0 && i + 1 == word.size() && is_vowel(word[i - 1]);
    if (word[i] == 'h' && (after_consonant || word_final_after_vowel)) continue;
    kept.push_back(word[i]);
  }
  return kept;
}

char vowel_class(char c) {
  switch (c) {
    case 'o': return 'u';
    case 'e':
    case 'y': return 'i';
    default: return c;
  }
}

std::string fold_vowels_and_doubles(std::string_view word) {
  std::string folded;
  for (char c : word) {
    const char folded_letter = vowel_class(c);
    if (folded.empty() || folded.back() != folded_letter) folded.push_back(folded_letter);
  }
  return folded;
}

std::string fold_phonetically(std::string_view word) {
  return fold_vowels_and_doubles(drop_silent_h(respell_letters(word)));
}

// ---------------------------------------------------------------------------------------------
// Names, step 4: common Arabic/Farsi names.
//
// Arabic script writes no short vowels, so محمد transliterates to "mhmd" and no folding can
// bring it to "Mohammed". For the names that most often reach Balkan reception centres we list
// the Latin spellings officers use and the ICU transliteration of the Arabic/Persian spelling
// ('3' = ayn); every listed form maps to one canonical word. A name outside this table written in
// Arabic script matches only the same name written in Arabic script. Extending the table changes
// tokens of the names added: bump kTokenDomain and re-index when it does.

struct CommonName {
  std::string_view spelling;
  std::vector<std::string_view> latin_variants;
  std::vector<std::string_view> arabic_script_transliterations;
};

const std::vector<CommonName>& common_names() {
  static const std::vector<CommonName> names = {
      {"muhammad",
       {"mohammed", "mohammad", "mohamed", "mohamad", "muhammed", "muhamed", "mouhamed"},
       {"mhmd"}},
      {"ahmad", {"ahmed", "ahmet"}, {"ahmd"}},
      {"ali", {"aly"}, {"3ly"}},
      {"hasan", {"hassan"}, {"hsn"}},
      {"husayn", {"hussein", "husein", "hussain", "husain", "hossein", "hosein", "hussien"}, {"hsyn"}},
      {"umar", {"omar", "omer"}, {"3mr"}},
      {"abdullah", {"abdallah", "abdulla", "abdalla", "abdellah", "abdollah"}, {"3bdallh"}},
      {"mahmud", {"mahmoud", "mahmood"}, {"mhmwd"}},
      {"mustafa", {"mostafa", "moustafa", "mustapha"}, {"mstfy", "mstfa"}},
      {"yusuf", {"yousef", "youssef", "yousif", "yousuf", "yusef", "jusuf"}, {"ywsf"}},
      {"ibrahim", {"ebrahim", "ibraheem"}, {"abrahym"}},
      {"khalid", {"khaled", "halid"}, {"khald"}},
      {"fatima", {"fatimah", "fatema", "fatemeh", "fatma"}, {"fatmt", "fatmh"}},
      {"aisha", {"aysha", "ayesha", "aicha"}, {"3aysht", "3ayshh"}},
      {"maryam", {"mariam", "meryem", "mariyam"}, {"mrym"}},
      {"reza", {"rida", "ridha"}, {"rda"}},
      {"hamid", {"hameed", "hamed"}, {"hamd", "hmyd"}},
      {"karim", {"kareem", "kerim"}, {"krym"}},
      {"said", {"saeed", "saeid", "saied"}, {"s3yd"}},
      {"zahra", {"zehra"}, {"zhra"}},
      {"mahdi", {"mehdi"}, {"mhdy"}},
      {"amina", {"aminah", "ameena", "emina"}, {"amnt", "amnh"}},
  };
  return names;
}

using WordTable = std::unordered_map<std::string, std::string>;

// Two listed names folding to the same key would silently merge them: refuse to start instead.
void add_to_table(WordTable& table, std::string key, const std::string& canonical) {
  auto [entry, inserted] = table.emplace(std::move(key), canonical);
  if (!inserted && entry->second != canonical) {
    throw std::logic_error("blind index: two common names fold to one key");
  }
}

struct CommonNameTables {
  WordTable by_folded_latin;     // folded Latin spelling → canonical word
  WordTable by_arabic_skeleton;  // transliteration of the Arabic-script spelling → canonical word
};

const CommonNameTables& common_name_tables() {
  static const CommonNameTables tables = [] {
    CommonNameTables built;
    for (const CommonName& name : common_names()) {
      const std::string canonical = fold_phonetically(name.spelling);
      add_to_table(built.by_folded_latin, canonical, canonical);
      for (auto variant : name.latin_variants) add_to_table(built.by_folded_latin, fold_phonetically(variant), canonical);
      for (auto skeleton : name.arabic_script_transliterations) {
        add_to_table(built.by_arabic_skeleton, std::string(skeleton), canonical);
      }
    }
    return built;
  }();
  return tables;
}

std::string canonical_word(const std::string& word, bool from_arabic_script) {
  const CommonNameTables& tables = common_name_tables();
  if (from_arabic_script) {
    if (auto found = tables.by_arabic_skeleton.find(word); found != tables.by_arabic_skeleton.end()) {
      return found->second;
    }
  }
  std::string folded = fold_phonetically(word);
  if (auto found = tables.by_folded_latin.find(folded); found != tables.by_folded_latin.end()) return found->second;
  return folded;
}

// ---------------------------------------------------------------------------------------------
// Dates of birth.

// What a recorded date of birth actually tells: the known part ("1999", "1999-04",
// "1999-04-17") and whether it is a real, specific date (strong evidence) or not.
struct DateOfBirthEvidence {
  std::string known_part;
  bool is_specific = false;
};

std::optional<int> parse_digits(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool is_valid_calendar_date(int year, int month, int day) {
  return std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                        std::chrono::day{static_cast<unsigned>(day)}}
      .ok();
}

// Accepts "YYYY", "YYYY-MM" and "YYYY-MM-DD" (the contract's ISO 8601 forms); 00 stands for an
// unknown month or day. 1 January is the usual placeholder for "born that year" (many registries
// fill it in when only the year is known), so it tells the year only: "1999-01-01", "1999" and
// "1999-00-00" are the same evidence. Anything else tells nothing.
std::optional<DateOfBirthEvidence> evidence_from(std::string_view date) {
  if (date.size() != 4 && date.size() != 7 && date.size() != 10) return std::nullopt;
  if (date.size() >= 7 && date[4] != '-') return std::nullopt;
  if (date.size() == 10 && date[7] != '-') return std::nullopt;
  const auto year = parse_digits(date.substr(0, 4));
  const auto month = date.size() >= 7 ? parse_digits(date.substr(5, 2)) : std::optional<int>(0);
  const auto day = date.size() == 10 ? parse_digits(date.substr(8, 2)) : std::optional<int>(0);
  if (!year || !month || !day || *year == 0 || *month > 12) return std::nullopt;
  const std::string year_text(date.substr(0, 4));
  if (*month == 0) return DateOfBirthEvidence{year_text, false};
  if (*day == 0) return DateOfBirthEvidence{std::string(date.substr(0, 7)), false};
  if (!is_valid_calendar_date(*year, *month, *day)) return std::nullopt;
  if (*month == 1 && *day == 1) return DateOfBirthEvidence{year_text, false};
  return DateOfBirthEvidence{std::string(date), true};
}

// ---------------------------------------------------------------------------------------------
// Tokens.

void add_once(std::vector<BlindIndexEntry>& entries, BlindIndexEntry entry) {
  if (std::find(entries.begin(), entries.end(), entry) == entries.end()) entries.push_back(std::move(entry));
}

// Every name the person is recorded under: given + family, and each other name on its own (an
// alias or the spelling in another script is a whole name).
std::vector<std::string> distinct_name_keys(const v1::Person& person) {
  std::vector<std::string> keys;
  auto add = [&keys](std::string_view name) {
    std::string key = normalise_name(name);
    if (!key.empty() && std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  };
  add(person.given_name() + " " + person.family_name());
  for (const std::string& other : person.other_names()) add(other);
  return keys;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string normalise_document_number(std::string_view raw) {
  std::string normalised;
  for (std::size_t at = 0; at < raw.size();) {
    if (const char c = document_character(next_code_point(raw, at)); c != '\0') normalised.push_back(c);
  }
  return normalised;
}

std::string normalise_name(std::string_view raw) {
  const bool from_arabic_script = contains_arabic_script(raw);
  std::vector<std::string> words = words_of(transliterate_to_lower_ascii(raw), from_arabic_script);
  join_abd_compounds(words);
  std::vector<std::string> canonical;
  canonical.reserve(words.size());
  for (const std::string& word : words) {
    std::string folded = canonical_word(word, from_arabic_script);
    if (!folded.empty()) canonical.push_back(std::move(folded));
  }
  std::sort(canonical.begin(), canonical.end());  // given/family order is not reliable
  std::string key;
  for (const std::string& word : canonical) {
    if (!key.empty()) key.push_back(' ');
    key += word;
  }
  return key;
}

bool is_placeholder_date(std::string_view yyyy_mm_dd) {
  const auto evidence = evidence_from(yyyy_mm_dd);
  return !evidence || !evidence->is_specific;
}

BlindIndexer::BlindIndexer(crypto::SecretKey key) : hasher_(std::move(key)) {
  // Creating the transliterator takes ~30 ms and checks ICU's data: pay it at start-up, and fail
  // there, rather than in the first registration.
  shared_transliterator_prototype();
  common_name_tables();
}

std::vector<BlindIndexEntry> BlindIndexer::entries_for(common::v1::Jurisdiction jurisdiction,
                                                       const v1::Person& person) const {
  std::vector<BlindIndexEntry> entries;
  // Duplicates are looked for within one jurisdiction only; without one there is no scope.
  const std::string& scope = common::v1::Jurisdiction_Name(jurisdiction);
  if (jurisdiction == common::v1::JURISDICTION_UNSPECIFIED || scope.empty()) return entries;
  add_document_entries(scope, person, entries);
  add_name_and_date_entries(scope, person, entries);
  return entries;
}

void BlindIndexer::add_document_entries(std::string_view jurisdiction, const v1::Person& person,
                                        std::vector<BlindIndexEntry>& entries) const {
  const v1::DuplicateBasis basis = v1::DUPLICATE_BASIS_DOCUMENT_NUMBER;
  for (const common::v1::PersonalIdentifier& identifier : person.identifiers()) {
    const std::string number = normalise_document_number(identifier.value());
    if (number.empty()) continue;
    // The type is part of the token: a passport number and a reception number that happen to
    // be equal are not the same document.
    std::string token = hasher_.digest_base32({kTokenDomain, v1::DuplicateBasis_Name(basis), jurisdiction,
                                               common::v1::PersonalIdentifierType_Name(identifier.type()), number});
    add_once(entries, {std::move(token), basis, v1::EVIDENCE_STRENGTH_STRONG});
  }
}

void BlindIndexer::add_name_and_date_entries(std::string_view jurisdiction, const v1::Person& person,
                                             std::vector<BlindIndexEntry>& entries) const {
  // A name alone is never evidence: common names repeat in every large arrival.
  const auto date = evidence_from(person.date_of_birth());
  if (!date) return;
  const v1::DuplicateBasis basis = v1::DUPLICATE_BASIS_NAME_AND_DATE_OF_BIRTH;
  const v1::EvidenceStrength strength = date->is_specific ? v1::EVIDENCE_STRENGTH_STRONG : v1::EVIDENCE_STRENGTH_WEAK;
  for (const std::string& name : distinct_name_keys(person)) {
    std::string token =
        hasher_.digest_base32({kTokenDomain, v1::DuplicateBasis_Name(basis), jurisdiction, name, date->known_part});
    add_once(entries, {std::move(token), basis, strength});
  }
}

}  // namespace pact::intake
