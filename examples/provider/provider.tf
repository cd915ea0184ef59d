terraform {
  required_providers {
    alicloudvpc = {
      source = "local/alicloudvpc"
    }
  }
}

# Credentials and region usually come from the environment
# (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_REGION)
# or from a profile of the aliyun CLI (~/.aliyun/config.json).
provider "alicloudvpc" {
  region  = "cn-hangzhou"
  profile = "default"

  # Optional: act as a RAM role assumed with the credentials above.
  # assume_role {
  #   role_arn = "acs:ram::1234567890123456:role/terraform"
  # }
}
