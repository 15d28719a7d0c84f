#include "vocabulary.h"

namespace pact::routing::vocabulary {

const config::NameTable<common::Jurisdiction> kJurisdictions = {
    {"AL", common::JURISDICTION_AL}, {"BA", common::JURISDICTION_BA}, {"XK", common::JURISDICTION_XK},
    {"ME", common::JURISDICTION_ME}, {"MK", common::JURISDICTION_MK}, {"RS", common::JURISDICTION_RS}};

const config::NameTable<common::NeedType> kNeedTypes = {
    {"urgent_medical_care", common::NEED_TYPE_URGENT_MEDICAL_CARE},
    {"health_care", common::NEED_TYPE_HEALTH_CARE},
    {"shelter", common::NEED_TYPE_SHELTER},
    {"food_and_subsistence", common::NEED_TYPE_FOOD_AND_SUBSISTENCE},
    {"material_assistance", common::NEED_TYPE_MATERIAL_ASSISTANCE},
    {"interpreter", common::NEED_TYPE_INTERPRETER},
    {"psychosocial_support", common::NEED_TYPE_PSYCHOSOCIAL_SUPPORT},
    {"legal_aid", common::NEED_TYPE_LEGAL_AID},
    {"child_protection_and_guardian", common::NEED_TYPE_CHILD_PROTECTION_AND_GUARDIAN},
    {"safety_and_protection", common::NEED_TYPE_SAFETY_AND_PROTECTION},
    {"information_and_counselling", common::NEED_TYPE_INFORMATION_AND_COUNSELLING},
    {"formal_identification", common::NEED_TYPE_FORMAL_IDENTIFICATION},
    {"family_tracing", common::NEED_TYPE_FAMILY_TRACING},
    {"education", common::NEED_TYPE_EDUCATION},
    {"employment_and_inclusion", common::NEED_TYPE_EMPLOYMENT_AND_INCLUSION},
    {"return_assistance", common::NEED_TYPE_RETURN_ASSISTANCE},
    {"guardian", common::NEED_TYPE_GUARDIAN},
    {"coordination_notice", common::NEED_TYPE_COORDINATION_NOTICE},
    {"law_enforcement_contact", common::NEED_TYPE_LAW_ENFORCEMENT_CONTACT},
    {"transnational_referral", common::NEED_TYPE_TRANSNATIONAL_REFERRAL}};

const config::NameTable<common::ConsentScope> kConsentScopes = {
    {"services", common::CONSENT_SCOPE_SERVICES},
    {"identification", common::CONSENT_SCOPE_IDENTIFICATION},
    {"police", common::CONSENT_SCOPE_POLICE},
    {"migration_authorities", common::CONSENT_SCOPE_MIGRATION_AUTHORITIES},
    {"cross_border", common::CONSENT_SCOPE_CROSS_BORDER},
    {"family_contact", common::CONSENT_SCOPE_FAMILY_CONTACT}};

const config::NameTable<common::DataCategory> kDataCategories = {
    {"identity", common::DATA_CATEGORY_IDENTITY},       {"identifiers", common::DATA_CATEGORY_IDENTIFIERS},
    {"contact_details", common::DATA_CATEGORY_CONTACT_DETAILS}, {"location", common::DATA_CATEGORY_LOCATION},
    {"need_details", common::DATA_CATEGORY_NEED_DETAILS}, {"indicators", common::DATA_CATEGORY_INDICATORS},
    {"notes", common::DATA_CATEGORY_NOTES},             {"travel_plans", common::DATA_CATEGORY_TRAVEL_PLANS}};

const config::NameTable<common::Gender> kGenders = {{"female", common::GENDER_FEMALE},
                                                   {"male", common::GENDER_MALE},
                                                   {"other", common::GENDER_OTHER},
                                                   {"unknown", common::GENDER_UNKNOWN}};

const config::NameTable<v1::ServiceType> kServiceTypes = {
    {"emergency_medical_care", v1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE},
    {"health_care", v1::SERVICE_TYPE_HEALTH_CARE},
    {"child_protection", v1::SERVICE_TYPE_CHILD_PROTECTION},
    {"guardianship", v1::SERVICE_TYPE_GUARDIANSHIP},
    {"formal_identification_authority", v1::SERVICE_TYPE_FORMAL_IDENTIFICATION_AUTHORITY},
    {"safe_accommodation", v1::SERVICE_TYPE_SAFE_ACCOMMODATION},
    {"psychosocial_support", v1::SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT},
    {"legal_aid", v1::SERVICE_TYPE_LEGAL_AID},
    {"interpretation", v1::SERVICE_TYPE_INTERPRETATION},
    {"material_assistance", v1::SERVICE_TYPE_MATERIAL_ASSISTANCE},
    {"police_anti_trafficking", v1::SERVICE_TYPE_POLICE_ANTI_TRAFFICKING},
    {"family_tracing", v1::SERVICE_TYPE_FAMILY_TRACING},
    {"education", v1::SERVICE_TYPE_EDUCATION},
    {"employment_and_inclusion", v1::SERVICE_TYPE_EMPLOYMENT_AND_INCLUSION},
    {"return_and_reintegration", v1::SERVICE_TYPE_RETURN_AND_REINTEGRATION},
    {"information_and_counselling", v1::SERVICE_TYPE_INFORMATION_AND_COUNSELLING},
    {"eoc_duty_desk", v1::SERVICE_TYPE_EOC_DUTY_DESK},
    {"national_coordinator", v1::SERVICE_TYPE_NATIONAL_COORDINATOR}};

const config::NameTable<v1::ServiceStatus> kServiceStatuses = {
    {"active", v1::SERVICE_STATUS_ACTIVE},
    {"temporarily_closed", v1::SERVICE_STATUS_TEMPORARILY_CLOSED},
    {"inactive", v1::SERVICE_STATUS_INACTIVE},
    {"defunct", v1::SERVICE_STATUS_DEFUNCT}};

const config::NameTable<v1::OrganizationKind> kOrganizationKinds = {
    {"ngo", v1::ORGANIZATION_KIND_NGO},
    {"government", v1::ORGANIZATION_KIND_GOVERNMENT},
    {"international", v1::ORGANIZATION_KIND_INTERNATIONAL},
    {"coordination", v1::ORGANIZATION_KIND_COORDINATION},
    {"hub", v1::ORGANIZATION_KIND_HUB}};

const config::NameTable<v1::ReferralPriority> kPriorities = {{"routine", v1::REFERRAL_PRIORITY_ROUTINE},
                                                            {"urgent", v1::REFERRAL_PRIORITY_URGENT},
                                                            {"asap", v1::REFERRAL_PRIORITY_ASAP},
                                                            {"stat", v1::REFERRAL_PRIORITY_STAT}};

const config::NameTable<v1::ContactPurpose> kContactPurposes = {{"referrals", v1::CONTACT_PURPOSE_REFERRALS},
                                                               {"escalations", v1::CONTACT_PURPOSE_ESCALATIONS},
                                                               {"all", v1::CONTACT_PURPOSE_ALL}};

const config::NameTable<notification::v1::Channel> kChannels = {{"webhook", notification::v1::CHANNEL_WEBHOOK},
                                                               {"email", notification::v1::CHANNEL_EMAIL},
                                                               {"sms", notification::v1::CHANNEL_SMS}};

const config::NameTable<screening::Level> kLevels = {
    {"no_indicators_observed", screening::LEVEL_NO_INDICATORS_OBSERVED},
    {"indications_present", screening::LEVEL_INDICATIONS_PRESENT},
    {"combination_met", screening::LEVEL_COMBINATION_MET}};

const config::NameTable<screening::RecommendationType> kRecommendations = {
    {"refer_for_formal_identification", screening::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION},
    {"child_protection_and_guardian", screening::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN},
    {"urgent_medical_care", screening::RECOMMENDATION_TYPE_URGENT_MEDICAL_CARE},
    {"assistance_and_further_assessment", screening::RECOMMENDATION_TYPE_ASSISTANCE_AND_FURTHER_ASSESSMENT},
    {"immediate_safety", screening::RECOMMENDATION_TYPE_IMMEDIATE_SAFETY},
    {"interpretation", screening::RECOMMENDATION_TYPE_INTERPRETATION},
    {"inform_about_rights_and_assistance", screening::RECOMMENDATION_TYPE_INFORM_ABOUT_RIGHTS_AND_ASSISTANCE}};

namespace {
template <typename T>
std::string name_or_number(config::NameTable<T> table, T value) {
  if (auto name = config::name_of(table, value)) return std::string(*name);
  return std::to_string(static_cast<int>(value));
}
}  // namespace

std::string jurisdiction_name(common::Jurisdiction jurisdiction) { return name_or_number(kJurisdictions, jurisdiction); }
std::string service_type_name(v1::ServiceType type) { return name_or_number(kServiceTypes, type); }
std::string need_type_name(common::NeedType need) { return name_or_number(kNeedTypes, need); }

}  // namespace pact::routing::vocabulary
