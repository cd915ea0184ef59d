terraform {
  required_version = ">= 1.11"

  required_providers {
    alicloudvpc = {
      source = "local/alicloudvpc"
    }
  }
}

# One provider for every region: each resource names its own region_id, so no aliases are
# needed. Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID,
# ALIBABA_CLOUD_ACCESS_KEY_SECRET) or a profile of the aliyun CLI.
provider "alicloudvpc" {
  region = var.default_region
}
