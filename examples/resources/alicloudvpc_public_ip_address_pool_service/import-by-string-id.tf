# Terraform 1.5 and later: adopt a region where the feature is already active.
import {
  to = alicloudvpc_public_ip_address_pool_service.this
  id = "cn-hangzhou"
}
