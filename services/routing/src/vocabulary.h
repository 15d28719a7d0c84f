#pragma once

#include <string>

#include "config/yaml_reader.h"
#include "pact/common/v1/common.pb.h"
#include "pact/notification/v1/notification.pb.h"
#include "pact/routing/v1/directory.pb.h"
#include "pact/routing/v1/routing.pb.h"
#include "pact/screening/v1/screening.pb.h"

// The names routing's data files (SOP rules, directory imports) use for enum values: lower case,
// without the enum prefix, so that people can write and read them. One table per enum, shared by
// every loader, so a name means the same thing everywhere.
namespace pact::routing::vocabulary {

namespace common = ::pact::common::v1;
namespace v1 = ::pact::routing::v1;
namespace screening = ::pact::screening::v1;

extern const config::NameTable<common::Jurisdiction> kJurisdictions;  // AL, BA, XK, ME, MK, RS
extern const config::NameTable<common::NeedType> kNeedTypes;
extern const config::NameTable<common::ConsentScope> kConsentScopes;  // without "none"
extern const config::NameTable<common::DataCategory> kDataCategories;
extern const config::NameTable<common::Gender> kGenders;
extern const config::NameTable<v1::ServiceType> kServiceTypes;
extern const config::NameTable<v1::ServiceStatus> kServiceStatuses;
extern const config::NameTable<v1::OrganizationKind> kOrganizationKinds;
extern const config::NameTable<v1::ReferralPriority> kPriorities;
extern const config::NameTable<v1::ContactPurpose> kContactPurposes;
extern const config::NameTable<notification::v1::Channel> kChannels;
extern const config::NameTable<screening::Level> kLevels;
extern const config::NameTable<screening::RecommendationType> kRecommendations;

// "RS" for JURISDICTION_RS; the enum's number for a value no table names (never empty).
std::string jurisdiction_name(common::Jurisdiction jurisdiction);
std::string service_type_name(v1::ServiceType type);
std::string need_type_name(common::NeedType need);

}  // namespace pact::routing::vocabulary
