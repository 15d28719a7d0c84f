#include "referral_data.h"

#include <algorithm>

namespace pact::routing {

namespace v1 = ::pact::routing::v1;
namespace common = ::pact::common::v1;

v1::ReferralData referral_data_of(const pact::intake::v1::Case& case_record, const v1::Referral& referral) {
  v1::ReferralData data;
  data.set_referral_id(referral.referral_id());
  *data.mutable_case_summary() = referral.case_summary();
  *data.mutable_sharing_basis() = referral.sharing_basis();
  const auto kind = referral.sharing_basis().kind();
  if (kind == common::SHARING_BASIS_KIND_UNSPECIFIED || kind == common::SHARING_BASIS_KIND_NO_PERSONAL_DATA) return data;
  auto allowed = [&](common::DataCategory category) {
    return std::find(referral.shared_data().begin(), referral.shared_data().end(), category) != referral.shared_data().end();
  };
  const auto& encounter = case_record.encounter();
  const auto& person = encounter.person();
  auto* out = data.mutable_person();
  // Coarse attributes are in the summary already; the person message carries only what is allowed.
  if (allowed(common::DATA_CATEGORY_IDENTITY)) {
    data.add_categories(common::DATA_CATEGORY_IDENTITY);
    out->set_given_name(person.given_name());
    out->set_family_name(person.family_name());
    *out->mutable_other_names() = person.other_names();
    out->set_date_of_birth(person.date_of_birth());
    out->set_place_of_birth(person.place_of_birth());
    *out->mutable_age() = person.age();
    out->set_gender(person.gender());
    *out->mutable_nationality() = person.nationality();
    *out->mutable_languages() = person.languages();
    out->set_companion_status(person.companion_status());
  }
  if (allowed(common::DATA_CATEGORY_IDENTIFIERS)) {
    data.add_categories(common::DATA_CATEGORY_IDENTIFIERS);
    *out->mutable_identifiers() = person.identifiers();
  }
  if (allowed(common::DATA_CATEGORY_CONTACT_DETAILS)) {
    data.add_categories(common::DATA_CATEGORY_CONTACT_DETAILS);
    *out->mutable_contacts() = person.contacts();
  }
  if (allowed(common::DATA_CATEGORY_NEED_DETAILS)) {
    data.add_categories(common::DATA_CATEGORY_NEED_DETAILS);
    // Only the need this referral serves (and, for child protection, every need: the child's).
    for (const auto& need : encounter.needs()) {
      if (need.type() == referral.attempt_id().need_type() || referral.service_type() == v1::SERVICE_TYPE_CHILD_PROTECTION) {
        *data.add_needs() = need;
      }
    }
  }
  if (allowed(common::DATA_CATEGORY_LOCATION)) {
    data.add_categories(common::DATA_CATEGORY_LOCATION);
    *data.mutable_location() = encounter.context().exact_location();
  }
  if (allowed(common::DATA_CATEGORY_INDICATORS)) {
    data.add_categories(common::DATA_CATEGORY_INDICATORS);
    *data.mutable_observed_indicator_ids() = encounter.observed_indicator_ids();
  }
  if (allowed(common::DATA_CATEGORY_NOTES)) {
    data.add_categories(common::DATA_CATEGORY_NOTES);
    *data.mutable_notes() = case_record.notes();
  }
  if (allowed(common::DATA_CATEGORY_TRAVEL_PLANS)) {
    data.add_categories(common::DATA_CATEGORY_TRAVEL_PLANS);
    *data.mutable_next_destination() = encounter.next_destination();
  }
  return data;
}

}  // namespace pact::routing
