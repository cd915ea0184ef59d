# Quickstart: activate the VPC IP address pool feature in one region and read its status.
# `scripts/quickstart.sh` runs this against the local emulator; with real credentials it
# activates the feature in your Alibaba Cloud account (which cannot be undone).

terraform {
  required_version = ">= 1.11"

  required_providers {
    alicloudvpc = {
      source = "local/alicloudvpc"
    }
  }
}

variable "region" {
  description = "Region in which to activate the IP address pool feature."
  type        = string
  default     = "cn-hangzhou"
}

# Credentials and endpoints come from the environment: ALIBABA_CLOUD_ACCESS_KEY_ID,
# ALIBABA_CLOUD_ACCESS_KEY_SECRET, and for the emulator ALIBABA_CLOUD_ENDPOINT_VPC and
# ALIBABA_CLOUD_ENDPOINT_STS (set by scripts/quickstart.sh).
provider "alicloudvpc" {
  region = var.region
}

resource "alicloudvpc_public_ip_address_pool_service" "this" {
  timeouts {
    create = "2m"
  }
}

# Reads the status after the resource has activated the feature.
data "alicloudvpc_public_ip_address_pool_service" "status" {
  region_id = alicloudvpc_public_ip_address_pool_service.this.region_id
}

output "region_id" {
  description = "Region in which the feature is active."
  value       = alicloudvpc_public_ip_address_pool_service.this.region_id
}

output "enabled" {
  description = "Whether the feature is active, as the resource saw it after activation."
  value       = alicloudvpc_public_ip_address_pool_service.this.enabled
}

output "status_enabled" {
  description = "Whether the feature is active, as the data source reads it."
  value       = data.alicloudvpc_public_ip_address_pool_service.status.enabled
}
