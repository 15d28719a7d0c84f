#include "encounter_mix.h"

#include <google/protobuf/util/time_util.h>

#include <array>
#include <cstdio>

namespace pactload {
namespace {

namespace common = pact::common::v1;
namespace intake = pact::intake::v1;

constexpr std::array kGivenNames = {"Amir", "Fatima", "Ahmad", "Mariam", "Jovan", "Јелена", "محمد", "Zahra",
                                    "Omar", "Ana",    "Ali",   "نور",    "Hamid", "Ирина", "Yusuf", "Leyla"};
constexpr std::array kFamilyNames = {"Haddad", "Karimi", "Rahimi", "Petrović", "Ахмади", "حسيني", "Nazari", "Hossaini"};
constexpr std::array kNationalities = {"SY", "AF", "IQ", "PK", "IR", "MA", "DZ", "BD"};
constexpr std::array kLanguages = {"ar", "fa", "ps", "ur", "ar", "ar", "fr", "bn"};
// The sample directory's transit and reception centres (reference/routing/directory), so that
// service areas match: two in Serbia, two in North Macedonia.
struct Site {
  const char* id;
  const char* municipality;
};
constexpr std::array<Site, 4> kSites = {Site{"rs-presevo-rc", "Preševo"}, Site{"rs-adasevci-tc", "Šid"},
                                        Site{"mk-tabanovce-tc", "Kumanovo"}, Site{"mk-vinojug-tc", "Gevgelija"}};
constexpr std::array kIndicators = {"ILO-AL-D1-01", "ILO-AL-D2-03", "ILO-AL-D4-01", "ILO-AL-D5-02", "HLT-PHY-03"};

}  // namespace

intake::RegisterEncounterRequest encounter_for(std::uint64_t sequence, const std::string& run_id, bool exercise) {
  intake::RegisterEncounterRequest request;
  request.set_idempotency_key("load-" + run_id + "-" + std::to_string(sequence));
  intake::Encounter& encounter = *request.mutable_encounter();
  const bool macedonia = sequence % 4 >= 2;
  const auto jurisdiction = macedonia ? common::JURISDICTION_MK : common::JURISDICTION_RS;
  intake::Reporter& reporter = *encounter.mutable_reporter();
  reporter.set_sector(sequence % 3 == 0 ? common::SECTOR_HEALTH : common::SECTOR_PROTECTION_FACILITY);
  reporter.set_organization_id("loadgen");
  reporter.set_jurisdiction(jurisdiction);
  const Site& site = kSites[sequence % kSites.size()];
  reporter.mutable_site()->set_site_id(site.id);
  reporter.mutable_site()->set_jurisdiction(jurisdiction);
  reporter.mutable_site()->set_municipality(site.municipality);

  // Who arrives, in twenty: eight single adults, seven members of families (two of them
  // children), three unaccompanied and two separated children.
  const std::uint64_t household = sequence % 20;
  const bool family = household >= 8 && household < 15;
  const bool child = (family && household >= 13) || household >= 15;
  intake::Person& person = *encounter.mutable_person();
  person.set_given_name(kGivenNames[sequence % kGivenNames.size()]);
  person.set_family_name(kFamilyNames[(sequence / 3) % kFamilyNames.size()]);
  const unsigned years = child ? 9 + static_cast<unsigned>(sequence % 9) : 19 + static_cast<unsigned>(sequence % 30);
  // Mostly different people: a shared name with the same birth date is the occasional possible
  // duplicate, as in a real arrival.
  const std::uint64_t spread = sequence * 2654435761ULL;
  char birth_date[16];
  std::snprintf(birth_date, sizeof birth_date, "%04u-%02u-%02u", 2026 - years,
                static_cast<unsigned>(1 + (spread >> 8) % 12), static_cast<unsigned>(1 + (spread >> 16) % 28));
  person.set_date_of_birth(birth_date);
  person.mutable_age()->set_years(years);
  person.mutable_age()->set_certainty(child ? common::AGE_CERTAINTY_ESTIMATED : common::AGE_CERTAINTY_STATED);
  person.mutable_age()->set_presumed_minor(child);
  person.set_gender(sequence % 2 == 0 ? common::GENDER_MALE : common::GENDER_FEMALE);
  person.mutable_nationality()->set_status(common::NATIONALITY_STATUS_KNOWN);
  person.mutable_nationality()->set_country_code(kNationalities[sequence % kNationalities.size()]);
  person.add_languages(kLanguages[sequence % kLanguages.size()]);
  if (household >= 15) {
    person.set_companion_status(household >= 18 ? common::COMPANION_STATUS_SEPARATED
                                                : common::COMPANION_STATUS_UNACCOMPANIED);
  } else {
    person.set_companion_status(family ? common::COMPANION_STATUS_ACCOMPANIED : common::COMPANION_STATUS_UNKNOWN);
  }
  if (sequence % 5 == 0) {
    auto* identifier = person.add_identifiers();
    identifier->set_type(common::PERSONAL_IDENTIFIER_TYPE_PASSPORT);
    identifier->set_value("N" + std::to_string(10000000 + sequence));
  }
  // Indications of exploitation: none for a third, one or two for the rest.
  for (std::uint64_t i = 0; i < sequence % 3; ++i) {
    encounter.add_observed_indicator_ids(kIndicators[(sequence + i) % kIndicators.size()]);
  }
  // Needs as a reception centre records them: a bed for most, urgent medical care for one in
  // eleven, and some ask for an interpreter, psychosocial support, legal aid or family tracing.
  auto add_need = [&encounter](common::NeedType type) { encounter.add_needs()->set_type(type); };
  add_need(sequence % 11 == 0 ? common::NEED_TYPE_URGENT_MEDICAL_CARE : common::NEED_TYPE_SHELTER);
  if (sequence % 4 == 1) add_need(common::NEED_TYPE_INTERPRETER);
  if (sequence % 5 == 3) add_need(common::NEED_TYPE_PSYCHOSOCIAL_SUPPORT);
  if (sequence % 9 == 4 && !child) add_need(common::NEED_TYPE_LEGAL_AID);
  if (household >= 18) add_need(common::NEED_TYPE_FAMILY_TRACING);
  // One in six moves on to the next country; half of them agree to their case going along.
  const bool moving_on = sequence % 6 == 0;
  if (moving_on) {
    encounter.mutable_next_destination()->set_jurisdiction(macedonia ? common::JURISDICTION_RS : common::JURISDICTION_BA);
  }
  // Most adults consent to services (children are protected without waiting for consent).
  if (!child && sequence % 8 != 7) {
    common::Consent& consent = *encounter.mutable_consent();
    consent.add_scopes(common::CONSENT_SCOPE_SERVICES);
    if (moving_on && sequence % 12 == 0) consent.add_scopes(common::CONSENT_SCOPE_CROSS_BORDER);
    consent.add_declined_scopes(common::CONSENT_SCOPE_POLICE);
    consent.set_given_by(common::CONSENT_GIVER_PERSON);
    consent.set_method(common::CONSENT_METHOD_VERBAL);
    consent.set_informed_in_language(kLanguages[sequence % kLanguages.size()]);
    *consent.mutable_given_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  }
  encounter.mutable_context()->set_emergency_id("wb-surge");
  *encounter.mutable_context()->mutable_site() = reporter.site();
  encounter.set_notes("Arrived with a group of " + std::to_string(3 + sequence % 20) + " at night.");
  *encounter.mutable_encountered_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  encounter.set_exercise(exercise);
  return request;
}

}  // namespace pactload
