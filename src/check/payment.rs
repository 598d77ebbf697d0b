//! Payment outside the platform's interfaces, which the review rejects (运营规范, platform doc
//! §13): a third-party payment SDK the app loads, a payment gateway's address in its code or in
//! a `web-view`. `wx.requestPayment` and `wx.requestOrderPayment` are the official ones and are
//! never reported. A warning: an address in a string is evidence, not proof of a payment.

use super::{BuildFix, CheckResult, Finding, Input, Level, Rule};
use crate::{
  diagnostic::{Source, Span},
  graph::AssetKind,
};

/// npm packages of payment services other than WeChat Pay, as `miniprogram_npm/<name>/`.
pub const SDKS: &[&str] = &[
  "alipay-sdk",
  "@alipay/mpaas-miniprogram-sdk",
  "pingpp-js",
  "pingpp-wx",
  "pingxx",
  "beecloud",
  "payjs",
  "yungouos-pay-sdk",
  "stripe",
  "@stripe/stripe-js",
  "braintree-web",
  "@paypal/checkout-server-sdk",
  "@paypal/paypal-js",
  "unionpay",
];

/// Hosts of payment gateways other than WeChat Pay's.
pub const HOSTS: &[&str] = &[
  "openapi.alipay.com",
  "mapi.alipay.com",
  "qr.alipay.com",
  "api.pingxx.com",
  "api.payjs.cn",
  "gateway.95516.com",
  "api.yungouos.com",
  "api.stripe.com",
  "checkout.stripe.com",
  "www.paypal.com",
  "api-m.paypal.com",
];

pub fn run(input: &Input) -> Vec<CheckResult> {
  let project = input.project;
  let graph = input.graph;
  let mut findings = Vec::new();
  for a in graph.assets.iter().filter(|a| graph.reached[a.id]) {
    let path = a.path.as_str();
    let sdk = SDKS.iter().find(|s| path.contains(&format!("miniprogram_npm/{s}/")));
    if let (Some(sdk), AssetKind::Js) = (sdk, a.kind) {
      let display = project.display(&a.path);
      findings.push(
        Finding::new(
          Level::Warning,
          format!("the app loads {display} of {sdk:?}, a payment SDK other than WeChat Pay: the review rejects payment outside wx.requestPayment"),
          "take payment with wx.requestPayment (or wx.requestOrderPayment); if the package is not used for payment, add the file to [check] ignore",
          BuildFix::No,
        )
        .at(&a.path, crate::diagnostic::Location::file(display)),
      );
      continue;
    }
    if !matches!(a.kind, AssetKind::Js | AssetKind::Wxml | AssetKind::Wxs) {
      continue;
    }
    let Ok(text) = project.read_text(&a.path) else { continue };
    let display = project.display(&a.path);
    let source = Source::new(&display, &text);
    for host in HOSTS {
      // The first mention per file: one finding says what to look at.
      if let Some(i) = text.find(host) {
        let loc = source.at(Span::new(i, i + host.len()));
        findings.push(
          Finding::new(
            Level::Warning,
            format!("{host} is a payment gateway other than WeChat Pay: the review rejects payment outside wx.requestPayment"),
            "take payment with wx.requestPayment (or wx.requestOrderPayment); if the address is not used for payment, add the file to [check] ignore",
            BuildFix::No,
          )
          .at(&a.path, loc),
        );
      }
    }
  }
  vec![CheckResult::of(Rule::PaymentThirdParty, findings)]
}
