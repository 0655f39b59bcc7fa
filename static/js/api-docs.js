// 接口文档 (vendored Swagger UI, which has no Chinese locale): its own English labels are replaced
// by Chinese ones as it renders them. Only whole labels are matched, never the API's own text.
(function () {
  var LABELS = {
    "Authorize": "认证",
    "Available authorizations": "可用的认证方式",
    "Close": "关闭",
    "Logout": "注销",
    "Schemas": "数据结构",
    "Try it out": "试一试",
    "Cancel": "取消",
    "Execute": "执行",
    "Clear": "清除",
    "Parameters": "参数",
    "No parameters": "无参数",
    "Request body": "请求体",
    "Responses": "响应",
    "Response body": "响应内容",
    "Response headers": "响应头",
    "Description": "说明",
    "Code": "状态码",
    "Links": "链接",
    "No links": "无",
    "Example Value": "示例值",
    "Schema": "结构",
    "Server response": "服务器响应",
    "Details": "详情",
    "Name": "名称"
  };
  function translate(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var label = LABELS[node.nodeValue.trim()];
      if (label) { node.nodeValue = label; }
    }
  }
  var ui = document.getElementById("swagger-ui");
  new MutationObserver(function () { translate(ui); }).observe(ui, {
    childList: true, subtree: true, characterData: true
  });
})();
