# An EIP in the provider's region, by its allocation ID.
terraform import alicloudvpc_eip_address.web eip-2zeerraiwb7uj6i0d6fo2
# An EIP in another region: <region>:<allocation ID>.
terraform import alicloudvpc_eip_address.web cn-shanghai:eip-2zeerraiwb7uj6i0d6fo2
