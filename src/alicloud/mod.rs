//! Alibaba Cloud API access: request signing, credentials, typed VPC and STS calls, errors and
//! retries. Knows nothing of Terraform.

pub mod regions;
pub mod sign;
