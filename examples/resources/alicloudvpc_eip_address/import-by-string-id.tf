# Terraform 1.5 and later: adopt an existing EIP (prefix the ID with its region if it is not
# the provider's, e.g. "cn-shanghai:eip-2zeerraiwb7uj6i0d6fo2").
import {
  to = alicloudvpc_eip_address.web
  id = "eip-2zeerraiwb7uj6i0d6fo2"
}
