#include "blind_index.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace pact::intake {
namespace {

using common::v1::Jurisdiction;
using common::v1::PersonalIdentifierType;

// Two spellings of a name and whether duplicate detection links them. The table documents the
// limits as much as the successes: a `false` row is a decision (or a known limit), not a bug.
struct NamePair {
  const char* first;
  const char* second;
  bool matches;
  const char* why;
};

const std::vector<NamePair>& name_pairs() {
  static const std::vector<NamePair> pairs = {
      // Serbian: Cyrillic and the Latin spellings officers type, with and without diacritics.
      {"Јован Петровић", "Jovan Petrovic", true, "Serbian Cyrillic = ASCII Latin"},
      {"Јован Петровић", "Petrović Jovan", true, "word order does not matter"},
      {"Јован Петровић", "JOVAN PETROVICH", true, "ch = ć (English-style spelling)"},
      {"Јован Петровић", " jovan -- petrović. ", true, "separators and case"},
      {"Ђорђе Ђоковић", "Djordje Djokovic", true, "dj = đ"},
      {"Ђорђе Ђоковић", "Đorđe Đoković", true, "Serbian Latin"},
      {"Ђорђе Ђоковић", "Dorde Dokovic", true, "diacritics dropped"},
      {"Љубица Њежић", "Ljubica Nježić", true, "lj/nj digraphs (BGN), not ISO 9 l̂/n̂"},
      {"Љубица Њежић", "LJUBICA NJEZIC", true, "lj/nj without diacritics"},
      {"Џајић", "Dzajic", true, "dž without diacritics"},
      {"Александар", "Alexandar", true, "x = ks"},
      {"Ana-Marija Jovanović", "Ana Marija Jovanovic", true, "hyphen = space"},
      {"Ivan", "Ivana", false, "male and female forms stay apart"},
      {"Jovan", "Ivan", false, "different names"},
      {"Jelena", "Yelena", false, "j and y are not folded together"},
      {"Aleksandar", "Aleksander", false, "a and e are not folded together"},
      // Macedonian: Ѓ, Ќ, Ѕ romanised as gj, kj, dz (official Macedonian romanisation).
      {"Ѓорѓи Ќосев", "Gjorgji Kjosev", true, "official Macedonian Latin"},
      {"Ѓорѓи Ќосев", "Gorgi Kosev", true, "gj/kj typed without j"},
      {"Ѓорѓи Ќосев", "Ǵorǵi Ḱosev", true, "BGN Latin with acute accents"},
      {"Г\u0301орг\u0301и", "Gjorgji", true, "decomposed Ѓ (Г + combining acute)"},
      {"Ѕвонко", "Dzvonko", true, "Ѕ = dz"},
      {"Ѓорѓи", "Ђорђе", false, "Macedonian Gjorgji and Serbian Đorđe are different name forms"},
      {"Ѓорѓи", "Djordji", false, "gj and dj are different letters"},
      // Arabic and Farsi: matched only through the table of common names (no vowels in script).
      {"محمد", "Mohammed", true, "common-name table"},
      {"محمد", "Muhammad", true, "common-name table"},
      {"محمد", "Mohamed", true, "common-name table"},
      {"محمد", "Mohammad", true, "common-name table"},
      {"محمد", "Мухамед", true, "Serbian Cyrillic spelling of a foreign name"},
      {"مُحَمَّد", "Muhammad", true, "vowelled Arabic transliterates with its vowels"},
      {"أحمد", "Ahmed", true, "common-name table"},
      {"احمد", "Ahmad", true, "alef without hamza"},
      {"علي", "Ali", true, "ayn dropped for the Latin spelling"},
      {"علی", "Ali", true, "Persian yeh"},
      {"حسين", "Hussein", true, "common-name table"},
      {"حسين", "Hossein", true, "Persian-style Latin spelling"},
      {"يوسف", "Youssef", true, "common-name table"},
      {"يوسف", "Jusuf", true, "Bosnian/Serbian spelling"},
      {"فاطمة", "Fatima", true, "ta marbuta"},
      {"فاطمه", "Fatemeh", true, "Persian spelling"},
      {"عبدالله", "عبد الله", true, "abd joined or apart"},
      {"عبدالله", "Abdullah", true, "common-name table"},
      {"عبد الله", "Abd Allah", true, "abd joined to the next word in Latin too"},
      {"عمر", "Omar", true, "ayn kept as a marker, then mapped"},
      {"سعيد", "Saeed", true, "ayn distinguishes Saeed from Sayyid"},
      {"رضا", "Reza", true, "Persian reading of the Arabic spelling"},
      {"مريم", "Mariam", true, "common-name table"},
      {"محمد علي", "Ali Mohammed", true, "both words listed; order does not matter"},
      {"Mohammed", "Muhamed", true, "Latin variants fold together"},
      {"Hussain", "Husein", true, "Latin variants fold together"},
      {"محمد", "Mehmed", false, "Bosnian Mehmed is kept as its own name"},
      {"محمد", "Mahmoud", false, "different names"},
      {"Mohammed", "Mahmoud", false, "different names"},
      {"حسن", "Hussein", false, "Hasan and Husayn are different names"},
      {"سيد", "Saeed", false, "Sayyid is not Saeed"},
      {"حسام", "Hussam", false, "LIMIT: Arabic-script name outside the table"},
      {"نور", "Nour", false, "LIMIT: Arabic-script name outside the table"},
      {"أحمد كريمي", "Ahmad Karimi", false, "LIMIT: family names are rarely in the table"},
      {"Abdel Rahman", "Abdulrahman", false, "LIMIT: abdel and abdul do not fold together"},
      {"Al-Hassan", "Hassan", false, "LIMIT: the article al- is a word of its own"},
  };
  return pairs;
}

TEST(NormaliseName, LinksTheSpellingsInTheTableAndOnlyThose) {
  for (const NamePair& pair : name_pairs()) {
    SCOPED_TRACE(std::string(pair.first) + " vs " + pair.second + " (" + pair.why + ")");
    const std::string first = normalise_name(pair.first);
    const std::string second = normalise_name(pair.second);
    EXPECT_FALSE(first.empty());
    EXPECT_FALSE(second.empty());
    EXPECT_EQ(first == second, pair.matches) << first << " | " << second;
  }
}

TEST(NormaliseName, GivesSortedLowerCaseAsciiWords) {
  EXPECT_EQ(normalise_name("Јован Петровић"), "juvan pitruvic");
  EXPECT_EQ(normalise_name("محمد"), "muhamad");
  EXPECT_EQ(normalise_name(""), "");
  EXPECT_EQ(normalise_name(" - 12 . "), "");
}

TEST(NormaliseDocumentNumber, KeepsUpperCaseAsciiLettersAndDigits) {
  EXPECT_EQ(normalise_document_number("AB123456"), "AB123456");
  EXPECT_EQ(normalise_document_number("ab 123-456"), "AB123456");
  EXPECT_EQ(normalise_document_number(" ab.123/456 "), "AB123456");
}

TEST(NormaliseDocumentNumber, TurnsCyrillicLookAlikesIntoLatin) {
  EXPECT_EQ(normalise_document_number("АВ 123-456"), "AB123456");  // Cyrillic А and В
  EXPECT_EQ(normalise_document_number("ав123456"), "AB123456");    // lower-case Cyrillic
  EXPECT_EQ(normalise_document_number("АВЕКМНОРСТХУ"), "ABEKMHOPCTXY");
  EXPECT_EQ(normalise_document_number("ІЈЅ"), "IJS");
  EXPECT_EQ(normalise_document_number("Ж12"), "12");  // no Latin twin: dropped
}

TEST(NormaliseDocumentNumber, ReadsArabicIndicDigitsAndSkipsInvalidUtf8) {
  EXPECT_EQ(normalise_document_number("٠١٢٣٤٥٦٧٨٩"), "0123456789");
  EXPECT_EQ(normalise_document_number("۱۲۳"), "123");  // Persian digits
  EXPECT_EQ(normalise_document_number("\xFF" "12\xC3"), "12");
  EXPECT_EQ(normalise_document_number(""), "");
}

TEST(PlaceholderDate, OnlyAFullRealDateOtherThanFirstOfJanuaryIsNotAPlaceholder) {
  EXPECT_FALSE(is_placeholder_date("1999-04-17"));
  EXPECT_FALSE(is_placeholder_date("2000-02-29"));
  EXPECT_FALSE(is_placeholder_date("1999-12-31"));
  EXPECT_TRUE(is_placeholder_date("1999-01-01"));
  EXPECT_TRUE(is_placeholder_date("1999"));
  EXPECT_TRUE(is_placeholder_date("1999-04"));
  EXPECT_TRUE(is_placeholder_date("1999-00-00"));
  EXPECT_TRUE(is_placeholder_date("1999-04-00"));
  EXPECT_TRUE(is_placeholder_date("1999-00-17"));
}

TEST(PlaceholderDate, MalformedDatesAreNoEvidence) {
  EXPECT_TRUE(is_placeholder_date(""));
  EXPECT_TRUE(is_placeholder_date("1999-02-30"));
  EXPECT_TRUE(is_placeholder_date("1999-13-01"));
  EXPECT_TRUE(is_placeholder_date("17.04.1999"));
  EXPECT_TRUE(is_placeholder_date("0000-04-17"));
}

crypto::SecretKey key_of(char fill) { return crypto::SecretKey::from_bytes(std::string(crypto::kKeyBytes, fill)); }

v1::Person person_named(const std::string& given, const std::string& family, const std::string& date_of_birth) {
  v1::Person person;
  person.set_given_name(given);
  person.set_family_name(family);
  person.set_date_of_birth(date_of_birth);
  return person;
}

void add_identifier(v1::Person& person, PersonalIdentifierType type, const std::string& value) {
  auto* identifier = person.add_identifiers();
  identifier->set_type(type);
  identifier->set_value(value);
}

std::vector<BlindIndexEntry> entries_with_basis(const std::vector<BlindIndexEntry>& entries,
                                                v1::DuplicateBasis basis) {
  std::vector<BlindIndexEntry> selected;
  for (const auto& entry : entries) {
    if (entry.basis == basis) selected.push_back(entry);
  }
  return selected;
}

constexpr auto kRS = common::v1::JURISDICTION_RS;
constexpr auto kPassport = common::v1::PERSONAL_IDENTIFIER_TYPE_PASSPORT;

TEST(BlindIndexer, LinksCyrillicAndLatinRecordsOfOnePersonWithStrongEvidence) {
  BlindIndexer indexer(key_of('k'));
  v1::Person cyrillic = person_named("Јован", "Петровић", "1999-04-17");
  add_identifier(cyrillic, kPassport, "АВ 123-456");
  v1::Person latin = person_named("Petrovic", "Jovan", "1999-04-17");
  add_identifier(latin, kPassport, "ab123456");

  const auto first = indexer.entries_for(kRS, cyrillic);
  const auto second = indexer.entries_for(kRS, latin);
  ASSERT_EQ(first.size(), 2U);
  EXPECT_EQ(first, second);
  for (const auto& entry : first) EXPECT_EQ(entry.strength, v1::EVIDENCE_STRENGTH_STRONG);
  EXPECT_EQ(entries_with_basis(first, v1::DUPLICATE_BASIS_DOCUMENT_NUMBER).size(), 1U);
  EXPECT_EQ(entries_with_basis(first, v1::DUPLICATE_BASIS_NAME_AND_DATE_OF_BIRTH).size(), 1U);
}

TEST(BlindIndexer, TokensAreDeterministicShortBase32AndCarryNoCleartext) {
  BlindIndexer indexer(key_of('k'));
  v1::Person person = person_named("Jovan", "Petrovic", "1999-04-17");
  add_identifier(person, kPassport, "AB123456");
  const auto entries = indexer.entries_for(kRS, person);
  EXPECT_EQ(entries, BlindIndexer(key_of('k')).entries_for(kRS, person));
  for (const auto& entry : entries) {
    EXPECT_EQ(entry.token.size(), 26U);  // 16 bytes of HMAC-SHA256 in base32
    EXPECT_EQ(entry.token.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567"), std::string::npos);
  }
}

TEST(BlindIndexer, AnotherKeyGivesOtherTokens) {
  v1::Person person = person_named("Jovan", "Petrovic", "1999-04-17");
  add_identifier(person, kPassport, "AB123456");
  const auto with_one_key = BlindIndexer(key_of('k')).entries_for(kRS, person);
  const auto with_another = BlindIndexer(key_of('j')).entries_for(kRS, person);
  ASSERT_EQ(with_one_key.size(), with_another.size());
  for (std::size_t i = 0; i < with_one_key.size(); ++i) EXPECT_NE(with_one_key[i].token, with_another[i].token);
}

TEST(BlindIndexer, AnotherJurisdictionGivesOtherTokens) {
  BlindIndexer indexer(key_of('k'));
  v1::Person person = person_named("Jovan", "Petrovic", "1999-04-17");
  add_identifier(person, kPassport, "AB123456");
  const auto in_serbia = indexer.entries_for(kRS, person);
  const auto in_north_macedonia = indexer.entries_for(common::v1::JURISDICTION_MK, person);
  ASSERT_EQ(in_serbia.size(), in_north_macedonia.size());
  for (std::size_t i = 0; i < in_serbia.size(); ++i) EXPECT_NE(in_serbia[i].token, in_north_macedonia[i].token);
  EXPECT_TRUE(indexer.entries_for(common::v1::JURISDICTION_UNSPECIFIED, person).empty());
}

TEST(BlindIndexer, NeverIndexesANameWithoutADateOrADateWithoutAName) {
  BlindIndexer indexer(key_of('k'));
  EXPECT_TRUE(indexer.entries_for(kRS, person_named("Jovan", "Petrovic", "")).empty());
  EXPECT_TRUE(indexer.entries_for(kRS, person_named("Jovan", "Petrovic", "17.04.1999")).empty());
  EXPECT_TRUE(indexer.entries_for(kRS, person_named("", "", "1999-04-17")).empty());
  EXPECT_TRUE(indexer.entries_for(kRS, person_named("-", "?", "1999-04-17")).empty());
}

TEST(BlindIndexer, IndexesADocumentWithoutNameOrDate) {
  BlindIndexer indexer(key_of('k'));
  v1::Person person;
  add_identifier(person, kPassport, "AB123456");
  add_identifier(person, kPassport, "AB-123-456");  // the same document typed twice: one token
  add_identifier(person, kPassport, " - ");         // nothing left to index
  const auto entries = indexer.entries_for(kRS, person);
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].basis, v1::DUPLICATE_BASIS_DOCUMENT_NUMBER);
  EXPECT_EQ(entries[0].strength, v1::EVIDENCE_STRENGTH_STRONG);
}

TEST(BlindIndexer, TheDocumentTypeIsPartOfTheToken) {
  BlindIndexer indexer(key_of('k'));
  v1::Person passport;
  add_identifier(passport, kPassport, "12345");
  v1::Person reception_number;
  add_identifier(reception_number, common::v1::PERSONAL_IDENTIFIER_TYPE_RECEPTION_REGISTRATION, "12345");
  EXPECT_NE(indexer.entries_for(kRS, passport), indexer.entries_for(kRS, reception_number));
}

TEST(BlindIndexer, PlaceholderAndPartialDatesGiveWeakTokens) {
  BlindIndexer indexer(key_of('k'));
  const auto year_only = indexer.entries_for(kRS, person_named("Jovan", "Petrovic", "1999"));
  ASSERT_EQ(year_only.size(), 1U);
  EXPECT_EQ(year_only[0].strength, v1::EVIDENCE_STRENGTH_WEAK);
  // 1 January and 00-00 say no more than the year: they link to each other.
  EXPECT_EQ(indexer.entries_for(kRS, person_named("Jovan", "Petrovic", "1999-01-01")), year_only);
  EXPECT_EQ(indexer.entries_for(kRS, person_named("Jovan", "Petrovic", "1999-00-00")), year_only);

  const auto year_and_month = indexer.entries_for(kRS, person_named("Jovan", "Petrovic", "1999-04"));
  ASSERT_EQ(year_and_month.size(), 1U);
  EXPECT_EQ(year_and_month[0].strength, v1::EVIDENCE_STRENGTH_WEAK);
  EXPECT_NE(year_and_month, year_only);
  EXPECT_EQ(indexer.entries_for(kRS, person_named("Jovan", "Petrovic", "1999-04-00")), year_and_month);

  // A real date never links to a placeholder: a different day is a different person.
  EXPECT_NE(indexer.entries_for(kRS, person_named("Jovan", "Petrovic", "1999-04-17"))[0].token,
            year_and_month[0].token);
}

TEST(BlindIndexer, OtherNamesGiveTokensOfTheirOwn) {
  BlindIndexer indexer(key_of('k'));
  v1::Person person = person_named("Mohammed", "", "2001-06-05");
  person.add_other_names("محمد");     // the same name in Arabic script: no second token
  person.add_other_names("Abu Ali");  // an alias: one more token
  const auto entries = indexer.entries_for(kRS, person);
  ASSERT_EQ(entries.size(), 2U);

  const auto arabic_only = indexer.entries_for(kRS, person_named("محمد", "", "2001-06-05"));
  ASSERT_EQ(arabic_only.size(), 1U);
  EXPECT_EQ(arabic_only[0], entries[0]);
}

TEST(Concurrency, ThreadsNormalisingAtOnceAgreeWithOneThread) {
  std::vector<std::string> expected;
  for (const NamePair& pair : name_pairs()) {
    expected.push_back(normalise_name(pair.first));
    expected.push_back(normalise_name(pair.second));
  }
  BlindIndexer indexer(key_of('k'));
  const v1::Person person = person_named("Ђорђе", "Ђоковић", "1987-05-22");
  const auto expected_entries = indexer.entries_for(kRS, person);

  constexpr int kThreads = 4;
  constexpr int kRounds = 50;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        std::size_t i = 0;
        for (const NamePair& pair : name_pairs()) {
          if (normalise_name(pair.first) != expected[i++]) ++mismatches[t];
          if (normalise_name(pair.second) != expected[i++]) ++mismatches[t];
        }
        if (indexer.entries_for(kRS, person) != expected_entries) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace pact::intake
