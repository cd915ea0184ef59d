# The import ID is <public_ip_address_pool_id>:<cidr_block> (in the provider's region),
terraform import alicloudvpc_public_ip_address_pool_cidr_block.own pippool-uf6n1rx8gqo5v8xhn1x2c:47.0.0.0/24

# or <region_id>:<public_ip_address_pool_id>:<cidr_block> for a pool in another region.
terraform import alicloudvpc_public_ip_address_pool_cidr_block.own cn-shanghai:pippool-uf6n1rx8gqo5v8xhn1x2c:47.0.0.0/24
