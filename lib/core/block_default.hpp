#pragma once
// The process-wide default block edge behind tartan::default_block() (tartan/types.hpp).

#include <cstdint>

namespace tartan::detail {

/// Set by the Environment from TARTAN_NB (agreed over the ranks) or to default_block_size.
void set_default_block(std::int64_t nb) noexcept;

}  // namespace tartan::detail
