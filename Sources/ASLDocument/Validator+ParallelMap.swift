// Parallel and Map states: their sub-machines (validated as machines of their own, with their own
// transitions and reachability) and Map's iteration fields.
import BatonJSON

extension ValidationRun {
    func validateParallel(_ state: JSONObject, at pointer: String, language: QueryLanguage) {
        guard require(state, "Branches", at: pointer, "A Parallel state"), let branches = array(state, "Branches", at: pointer) else {
            return
        }
        let branchesPointer = pointer.pointer("Branches")
        if branches.isEmpty { report(branchesPointer, "Branches must hold at least one branch") }
        for (index, branch) in branches.enumerated() {
            guard case .object(let machine) = branch else {
                report(branchesPointer.pointer(index), "a branch must be an object with StartAt and States, not \(branch.typeName)")
                continue
            }
            validateMachine(machine, at: branchesPointer.pointer(index), kind: .branch, language: topLanguage)
        }
    }

    func validateMap(_ state: JSONObject, at pointer: String, language: QueryLanguage) {
        switch (state["ItemProcessor"], state["Iterator"]) {
        case (nil, nil):
            report(pointer.pointer("ItemProcessor"), "a Map state needs ItemProcessor (or the older Iterator): the states to run for each item")
        case (.some, .some):
            report(pointer.pointer("Iterator"), "a Map state cannot have both ItemProcessor and Iterator; keep ItemProcessor")
        default:
            break
        }
        if let processor = object(state, "ItemProcessor", at: pointer) {
            validateMachine(processor, at: pointer.pointer("ItemProcessor"), kind: .itemProcessor, language: topLanguage)
        }
        if let iterator = object(state, "Iterator", at: pointer) {
            validateMachine(iterator, at: pointer.pointer("Iterator"), kind: .iterator, language: topLanguage)
        }

        atMostOne(of: ["ItemSelector", "Parameters"], in: state, at: pointer)
        if let selector = state["ItemSelector"] {
            if language == .jsonPath {
                if selector.objectValue == nil {
                    report(pointer.pointer("ItemSelector"), "ItemSelector must be an object, not \(selector.typeName)")
                } else {
                    checkPayloadTemplate(selector, at: pointer.pointer("ItemSelector"), field: "ItemSelector")
                }
            } else {
                checkJSONataTemplate(selector, at: pointer.pointer("ItemSelector"))
            }
        }
        if language == .jsonPath {
            checkPathField(state, "ItemsPath", at: pointer, kind: .path, nullable: false)
        } else if let items = state["Items"], items.arrayValue == nil, !isJSONataExpression(items) {
            report(pointer.pointer("Items"), "Items must be an array or a {% %} expression, not \(items.typeName)")
        } else if let items = state["Items"] {
            checkJSONataTemplate(items, at: pointer.pointer("Items"))
        }

        for key in ["MaxConcurrency", "ToleratedFailureCount", "ToleratedFailurePercentage"] {
            atMostOne(of: [key, key + "Path"], in: state, at: pointer)
            checkPathField(state, key + "Path", at: pointer, kind: .reference, nullable: false)
        }
        _ = positiveSeconds(state, "MaxConcurrency", at: pointer, language: language, minimum: 0)
        _ = positiveSeconds(state, "ToleratedFailureCount", at: pointer, language: language, minimum: 0)
        if let value = state["ToleratedFailurePercentage"] {
            if isJSONataExpression(value) {
                if language == .jsonata { checkJSONataTemplate(value, at: pointer.pointer("ToleratedFailurePercentage")) }
            } else if let percentage = number(state, "ToleratedFailurePercentage", at: pointer), !(0...100).contains(percentage) {
                report(pointer.pointer("ToleratedFailurePercentage"), "ToleratedFailurePercentage must be between 0 and 100, not \(value)")
            }
        }
        if let batcher = object(state, "ItemBatcher", at: pointer) {
            validateItemBatcher(batcher, at: pointer.pointer("ItemBatcher"), language: language)
        }
        if state["ItemReader"] != nil {
            report(pointer.pointer("ItemReader"), "ItemReader (reading items from S3) is not supported by Baton; pass the items in the state input and use ItemsPath")
        }
        if state["ResultWriter"] != nil {
            report(pointer.pointer("ResultWriter"), "ResultWriter (writing results to S3) is not supported by Baton; the Map result is the state's output")
        }
        if let label = string(state, "Label", at: pointer) {
            if let first = labels[label] {
                report(pointer.pointer("Label"), "the Label \"\(label)\" is already used at \(first); Map labels must be unique")
            } else {
                labels[label] = pointer.pointer("Label")
            }
            if label.count > 40 {
                report(pointer.pointer("Label"), "Label is \(label.count) characters long; the limit is 40")
            } else if label.unicodeScalars.contains(where: { " <>{}[]?*\"#%\\^|~`$&,;:/".unicodeScalars.contains($0) || $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                report(pointer.pointer("Label"), "Label must not contain whitespace, brackets, wildcards, punctuation such as \" # % \\ ^ | ~ ` $ & , ; : / or control characters")
            }
        }
    }

    private func validateItemBatcher(_ batcher: JSONObject, at pointer: String, language: QueryLanguage) {
        var allowed: Set<String> = ["MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"]
        if language == .jsonPath { allowed.formUnion(["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"]) }
        rejectUnknownFields(batcher, allowed: allowed, at: pointer, in: "ItemBatcher")
        atMostOne(of: ["MaxItemsPerBatch", "MaxItemsPerBatchPath"], in: batcher, at: pointer)
        atMostOne(of: ["MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"], in: batcher, at: pointer)
        let limits = ["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"]
        if !limits.contains(where: { batcher[$0] != nil }) {
            report(pointer, "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or their …Path forms)")
        }
        _ = positiveSeconds(batcher, "MaxItemsPerBatch", at: pointer, language: language)
        if let bytes = positiveSeconds(batcher, "MaxInputBytesPerBatch", at: pointer, language: language), bytes > 262_144 {
            report(pointer.pointer("MaxInputBytesPerBatch"), "MaxInputBytesPerBatch must be at most 262144 (256 KiB), not \(bytes)")
        }
        checkPathField(batcher, "MaxItemsPerBatchPath", at: pointer, kind: .reference, nullable: false)
        checkPathField(batcher, "MaxInputBytesPerBatchPath", at: pointer, kind: .reference, nullable: false)
        if let input = batcher["BatchInput"] {
            if language == .jsonPath {
                if input.objectValue == nil {
                    report(pointer.pointer("BatchInput"), "BatchInput must be an object, not \(input.typeName)")
                } else {
                    checkPayloadTemplate(input, at: pointer.pointer("BatchInput"), field: "BatchInput")
                }
            } else {
                checkJSONataTemplate(input, at: pointer.pointer("BatchInput"))
            }
        }
    }
}
