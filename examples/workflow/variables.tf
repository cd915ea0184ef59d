variable "default_region" {
  description = "The provider's region, for anything that names none."
  type        = string
  default     = "cn-hangzhou"
}

variable "regions" {
  description = <<-EOT
    The pool of each region, by region ID. `block_masks` are the prefix lengths (24 to 28) of the
    CIDR blocks Alibaba Cloud allocates to the pool, one block each; `blocks` are blocks of your
    own (BYOIP) to add as they are; `eips` is how many EIPs to allocate from the pool (they take
    the pool's line type).
  EOT
  type = map(object({
    pool_name   = string
    description = optional(string, "")
    isp         = optional(string, "BGP")
    block_masks = optional(list(number), [])
    blocks      = optional(list(string), [])
    eips        = optional(number, 2)
    tags        = optional(map(string), {})
  }))
  default = {
    "cn-hangzhou" = {
      pool_name   = "edge-hangzhou"
      description = "Public addresses of the Hangzhou edge"
      block_masks = [24, 26]
    }
    "cn-shanghai" = {
      pool_name   = "edge-shanghai"
      block_masks = [25]
      eips        = 1
      tags        = { tier = "standby" }
    }
  }

  validation {
    condition = alltrue(flatten([
      for r in values(var.regions) : [for m in r.block_masks : m >= 24 && m <= 28]
    ]))
    error_message = "Every block mask must be between 24 and 28."
  }

  validation {
    condition = alltrue([
      for r in values(var.regions) : r.eips >= 0 && floor(r.eips) == r.eips
    ])
    error_message = "The number of EIPs of a region must be a whole number, 0 or more."
  }
}

variable "tags" {
  description = "Tags every pool carries (keys must not start with `aliyun` or `acs:`)."
  type        = map(string)
  default = {
    managed_by = "terraform"
    stack      = "public-ip"
  }
}
