# Terraform 1.5 and later: adopt an existing pool (prefix the ID with its region if it is not
# the provider's, e.g. "cn-shanghai:pippool-6wetvn6fumkgycssx").
import {
  to = alicloudvpc_public_ip_address_pool.web
  id = "pippool-6wetvn6fumkgycssx"
}
