// Structural validation of a Model: every problem is reported with the node, value or tensor it concerns.
// Checks: node op types present; every input defined (graph input, initializer, earlier node, outer scope);
// each value produced once; graph outputs produced; initializer dims, element types and byte sizes; no
// cycles; subgraphs recursively with their outer scope.
#pragma once

#include "ir/model.h"
#include "util/status.h"

namespace lowbit::ir {

Status validate(const Model& model);

}  // namespace lowbit::ir
