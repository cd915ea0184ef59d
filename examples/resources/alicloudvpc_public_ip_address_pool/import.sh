# A pool in the provider's region, by its ID.
terraform import alicloudvpc_public_ip_address_pool.web pippool-6wetvn6fumkgycssx
# A pool in another region: <region>:<pool ID>.
terraform import alicloudvpc_public_ip_address_pool.web cn-shanghai:pippool-6wetvn6fumkgycssx
