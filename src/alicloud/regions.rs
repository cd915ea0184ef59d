//! Alibaba Cloud's public region IDs, shared by the provider (region validation) and the emulator
//! (which answers `InvalidRegionId.NotFound` for anything else).

/// Public regions of Alibaba Cloud (mainland China, Hong Kong and international), as listed by
/// `DescribeRegions`. Keep sorted by geography as Alibaba lists them; lookups are linear and tiny.
pub const PUBLIC_REGIONS: &[&str] = &[
    "cn-qingdao",
    "cn-beijing",
    "cn-zhangjiakou",
    "cn-huhehaote",
    "cn-wulanchabu",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-nanjing",
    "cn-fuzhou",
    "cn-shenzhen",
    "cn-heyuan",
    "cn-guangzhou",
    "cn-chengdu",
    "cn-hongkong",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-3",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "us-east-1",
    "us-west-1",
    "eu-west-1",
    "eu-central-1",
    "me-east-1",
    "me-central-1",
    "na-south-1",
];

/// Whether `region` is one of [`PUBLIC_REGIONS`].
pub fn is_public_region(region: &str) -> bool {
    PUBLIC_REGIONS.contains(&region)
}
