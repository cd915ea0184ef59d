# The import ID is the region ID.
terraform import alicloudvpc_public_ip_address_pool_service.this cn-hangzhou
