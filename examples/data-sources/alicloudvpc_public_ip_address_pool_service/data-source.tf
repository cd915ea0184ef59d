data "alicloudvpc_public_ip_address_pool_service" "current" {
  region_id = "cn-hangzhou"
}

output "ip_address_pool_enabled" {
  value = data.alicloudvpc_public_ip_address_pool_service.current.enabled
}
