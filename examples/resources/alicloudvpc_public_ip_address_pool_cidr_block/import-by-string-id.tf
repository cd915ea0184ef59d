# Terraform 1.5 and later: adopt a block the pool already has. A block allocated by cidr_mask
# imports the same way; the configuration may then set either cidr_block or cidr_mask.
import {
  to = alicloudvpc_public_ip_address_pool_cidr_block.own
  id = "pippool-uf6n1rx8gqo5v8xhn1x2c:47.0.0.0/24"
}
