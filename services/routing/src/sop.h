#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pact/common/v1/common.pb.h"
#include "pact/routing/v1/directory.pb.h"
#include "pact/routing/v1/routing.pb.h"
#include "pact/screening/v1/screening.pb.h"

// SOP rules as loaded from reference/routing/sop (format: docs/routing-sop.md).
namespace pact::routing {

namespace v1 = ::pact::routing::v1;
namespace common = ::pact::common::v1;
namespace screening = ::pact::screening::v1;

using Seconds = std::chrono::seconds;

// One profile of a deadline class: when a provider must acknowledge and accept, and how long
// before each deadline reminders go out.
struct DeadlineSpec {
  Seconds acknowledge{0};
  Seconds accept{0};
  std::vector<Seconds> reminders;  // before the deadline, longest first
};

// Named sets of deadlines, one per profile ("standard", "demo").
using DeadlineClasses = std::map<std::string, std::map<std::string, DeadlineSpec>>;

enum class AgeCondition { any, child, adult };

enum class DecisionCondition { reasonable_grounds, formal_identification, risk_to_life_exception, child_protection_exception };

// One alternative of a rule's `when`: every condition given must hold.
struct Condition {
  std::vector<screening::Level> levels;
  std::vector<screening::RecommendationType> recommendations;
  std::vector<std::string> flags;  // flag names as in screening.v1.Flags
  std::vector<common::NeedType> needs;
  AgeCondition age = AgeCondition::any;
  std::vector<common::ConsentScope> consent;  // all must be effective
  std::vector<common::Jurisdiction> jurisdictions;
  std::vector<DecisionCondition> decisions;
};

// One referral a rule yields.
struct ReferralTemplate {
  common::NeedType need = common::NEED_TYPE_UNSPECIFIED;
  v1::ServiceType service = v1::SERVICE_TYPE_UNSPECIFIED;
  v1::ReferralPriority priority = v1::REFERRAL_PRIORITY_ROUTINE;
  std::string deadline_class;
  std::optional<common::ConsentScope> consent;  // nullopt: `none`
  std::vector<common::DataCategory> share;
};

struct SopRule {
  std::string id;
  std::uint32_t version = 0;
  std::string title;
  std::string source;
  int line = 0;
  std::vector<Condition> when;  // any alternative
  std::vector<ReferralTemplate> refer;
};

// One SOP file: the regional SOP (jurisdiction unspecified) or a jurisdiction's override.
struct SopFile {
  std::string file;
  std::string id;
  std::string version;
  std::string title;
  std::string source;
  common::Jurisdiction applies_to = common::JURISDICTION_UNSPECIFIED;  // unspecified: regional
  std::string overrides;
  std::vector<std::string> disable;
  std::vector<std::string> profiles;
  DeadlineClasses deadline_classes;
  std::string escalation_class;
  std::optional<std::uint32_t> reflection_period_days;
  std::vector<SopRule> rules;
  int disable_line = 0;
  int overrides_line = 0;
};

}  // namespace pact::routing
