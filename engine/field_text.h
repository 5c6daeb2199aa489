#pragma once
// Turning the text form of a field value (CLI `--set FIELD=VALUE`, form
// posts) into a typed Value, by the field's declared type.

#include <string_view>

#include "engine/status.h"
#include "engine/value.h"
#include "engine/workflow.h"

namespace turnaround {

// text, person, theme: the text as is (empty -> null); number: a decimal
// number; boolean: true/false/yes/no; themes: a comma-separated list,
// items trimmed, empty items dropped. kInvalidArgument naming the field.
Result<Value> parse_field_text(const FieldDef& field, std::string_view text);

// Parses "FIELD=VALUE" against workflow `wf` into `out`. kInvalidArgument
// if there is no '=', the field is unknown, or the value does not parse.
Status parse_assignment(const WorkflowDefinition& wf, std::string_view assignment,
                        FieldValues& out);

}  // namespace turnaround
